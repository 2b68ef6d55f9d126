package io.cronexecutor.pubsub;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.pubsub.v1.Subscription;
import io.cronexecutor.job.DeliveryScope;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.SubscriptionSpec;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Creating many jobs' topics and subscriptions at once, as on a first start, and alongside another fleet member. */
class SubscriptionProvisionerIT {

    /** More jobs than calls go out at once; pairs of jobs share a topic; every tenth has a dead-letter topic. */
    private static List<JobDefinition> jobs(int count) {
        List<JobDefinition> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JobDefinition job = TestJobs.job("job" + i, "true");
            boolean deadLetter = i % 10 == 0;
            jobs.add(job.withDelivery(new SubscriptionSpec("topic-" + i / 2, "sub-" + i, DeliveryScope.ONE,
                    Duration.ofSeconds(10), deadLetter ? Optional.of("dead-letters") : Optional.empty(),
                    deadLetter ? Optional.of(5) : Optional.empty(), i % 3 != 0)));
        }
        return jobs;
    }

    private static void assertProvisioned(BrokerFixture fixture, List<JobDefinition> jobs) {
        PubSubClients clients = fixture.clients();
        try (SubscriptionAdminClient subscriptions = clients.subscriptionAdmin();
             TopicAdminClient topics = clients.topicAdmin()) {
            for (JobDefinition job : jobs) {
                Subscription subscription = subscriptions.getSubscription(clients.subscription(job.subscription()).toString());
                assertEquals(clients.topic(job.topic()).toString(), subscription.getTopic(), job.name());
                assertEquals(job.delivery().exactlyOnce(), subscription.getEnableExactlyOnceDelivery(), job.name());
                job.delivery().deadLetterTopic().ifPresent(t -> {
                    topics.getTopic(clients.topic(t).toString()); // throws NotFoundException if missing
                    assertEquals(clients.topic(t).toString(), subscription.getDeadLetterPolicy().getDeadLetterTopic(), job.name());
                });
            }
        }
    }

    @Test
    void createsEverythingMissingAndThenOnlyChecks() {
        List<JobDefinition> jobs = jobs(2 * SubscriptionProvisioner.IN_FLIGHT + 50);
        try (BrokerFixture fixture = new BrokerFixture()) {
            SubscriptionProvisioner provisioner = new SubscriptionProvisioner(fixture.clients());
            Map<String, String> first = provisioner.provision(jobs, "a");
            assertEquals(jobs.size(), first.size());
            assertProvisioned(fixture, jobs);
            assertEquals(first, provisioner.provision(jobs, "a"), "a restart finds what the first start created");
        }
    }

    @Test
    void twoMembersCreatingTheSameJobsAtOnceBothSucceed() {
        List<JobDefinition> jobs = jobs(SubscriptionProvisioner.IN_FLIGHT + 20);
        try (BrokerFixture fixture = new BrokerFixture()) {
            CompletableFuture<Map<String, String>> a = CompletableFuture.supplyAsync(
                    () -> new SubscriptionProvisioner(fixture.clients()).provision(jobs, "a"));
            CompletableFuture<Map<String, String>> b = CompletableFuture.supplyAsync(
                    () -> new SubscriptionProvisioner(fixture.clients()).provision(jobs, "b"));
            assertEquals(a.join(), b.join());
            assertProvisioned(fixture, jobs);
        }
    }
}
