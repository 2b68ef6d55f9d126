package io.cronexecutor.engine;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.Subscription;
import io.cronexecutor.job.DeliveryScope;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.OverlapPolicy;
import io.cronexecutor.job.SubscriptionSpec;
import io.cronexecutor.pubsub.SubscriptionProvisioner;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.run.RunState;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.InProcessExecutor;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which members of a fleet run a tick, and what happens to the ticks published while none was running. */
class DeliveryScopeIT {

    /** Queues instead of skipping, so ticks arriving together all run. */
    private static JobDefinition job(String name) {
        JobDefinition base = TestJobs.job(name, "true");
        return base.withPolicy(base.policy().withConcurrency(2, OverlapPolicy.QUEUE));
    }

    private static long succeeded(InProcessExecutor executor, JobDefinition job) {
        return executor.runs(job.name()).stream().filter(r -> r.state() == RunState.SUCCEEDED).count();
    }

    @Test
    void deliveryOneRunsEachTickOnExactlyOneMember() throws Exception {
        JobDefinition job = job("one");
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor a = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             InProcessExecutor b = new InProcessExecutor(fixture, "b", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            for (int i = 0; i < 10; i++) {
                publisher.publish(job, "manual", Map.of());
            }
            fixture.awaitStats(job.subscription(), Duration.ofSeconds(30), s -> s.acks() == 10);
            Thread.sleep(500);
            assertEquals(10, succeeded(a, job) + succeeded(b, job), "each tick ran once across the fleet");
        }
    }

    @Test
    void deliveryAllRunsEachTickOnEveryMember() throws Exception {
        JobDefinition base = job("everyone");
        SubscriptionSpec spec = base.delivery();
        JobDefinition job = base.withDelivery(new SubscriptionSpec(spec.topic(), spec.subscription(), DeliveryScope.ALL,
                spec.ackDeadline(), Optional.empty(), Optional.empty(), true));
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor a = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             InProcessExecutor b = new InProcessExecutor(fixture, "b", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            publisher.publish(job, "manual", Map.of());
            publisher.publish(job, "manual", Map.of());
            Await.until(Duration.ofSeconds(30), () -> succeeded(a, job) == 2 && succeeded(b, job) == 2,
                    () -> "both members ran both ticks: a=" + a.runs(job.name()) + " b=" + b.runs(job.name()));
            try (SubscriptionAdminClient admin = fixture.clients().subscriptionAdmin()) {
                Subscription own = admin.getSubscription(fixture.clients().subscription(
                        SubscriptionProvisioner.subscriptionFor(job, "a")));
                assertEquals("everyone-topic.everyone.a", own.getName().substring(own.getName().lastIndexOf('/') + 1));
            }
        }
    }

    @Test
    void ticksPublishedWhileNoMemberRunsAreRunWhenOneStarts() throws Exception {
        JobDefinition job = job("patient");
        try (BrokerFixture fixture = new BrokerFixture()) {
            try (InProcessExecutor first = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job)) {
                first.shutdown(); // the subscription now exists; nobody pulls
            }
            try (TickPublisher publisher = new TickPublisher(fixture.clients())) {
                publisher.publish(job, "schedule", Map.of());
                publisher.publish(job, "schedule", Map.of());
            }
            try (InProcessExecutor restarted = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job)) {
                Await.until(Duration.ofSeconds(30), () -> succeeded(restarted, job) == 2,
                        () -> "the subscription was kept, with both ticks: " + restarted.runs(job.name()));
            }
        }
    }

    @Test
    void deadLetterAndRetryPoliciesAreProvisionedOnANewSubscriptionAndAnExistingOneIsKept() throws Exception {
        JobDefinition base = job("lettered");
        SubscriptionSpec spec = base.delivery();
        JobDefinition job = base.withDelivery(new SubscriptionSpec(spec.topic(), spec.subscription(), DeliveryScope.ONE,
                spec.ackDeadline(), Optional.of("lettered-dead"), Optional.of(5), true));
        try (BrokerFixture fixture = new BrokerFixture();
             SubscriptionAdminClient admin = fixture.clients().subscriptionAdmin()) {
            new SubscriptionProvisioner(fixture.clients()).provision(List.of(job), "a");
            Subscription created = admin.getSubscription(fixture.clients().subscription(job.subscription()));
            assertEquals(fixture.clients().topic("lettered-dead").toString(), created.getDeadLetterPolicy().getDeadLetterTopic());
            assertEquals(5, created.getDeadLetterPolicy().getMaxDeliveryAttempts());
            assertEquals(10, created.getRetryPolicy().getMinimumBackoff().getSeconds());
            assertEquals(600, created.getRetryPolicy().getMaximumBackoff().getSeconds());
            assertTrue(created.getEnableExactlyOnceDelivery());

            try (TickPublisher publisher = new TickPublisher(fixture.clients())) {
                publisher.publish(job, "schedule", Map.of());
            }
            JobDefinition changed = job.withDelivery(new SubscriptionSpec(spec.topic(), spec.subscription(), DeliveryScope.ONE,
                    java.time.Duration.ofSeconds(30), Optional.empty(), Optional.empty(), false));
            new SubscriptionProvisioner(fixture.clients()).provision(List.of(changed), "a");
            Subscription kept = admin.getSubscription(fixture.clients().subscription(job.subscription()));
            assertEquals(created.getAckDeadlineSeconds(), kept.getAckDeadlineSeconds(), "a differing configuration is logged, not applied");
            assertEquals(5, kept.getDeadLetterPolicy().getMaxDeliveryAttempts());
            assertTrue(kept.getEnableExactlyOnceDelivery(), "exactly-once is not switched off behind the operator's back");
            assertEquals(1, fixture.stats(job.subscription()).pending(), "its waiting tick is still there");
        }
    }
}
