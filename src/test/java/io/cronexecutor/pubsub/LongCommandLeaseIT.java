package io.cronexecutor.pubsub;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.Subscription;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.embedded.SubscriptionStats;
import io.cronexecutor.run.ProcessRunner;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.run.RunTimer;
import io.cronexecutor.run.ProcessLauncher;
import io.cronexecutor.run.TickDispatcher;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The executor's own subscriber, over real gRPC to the embedded broker, running a real command
 * that outlives the ack deadline several times over.
 */
class LongCommandLeaseIT {

    private static final int ACK_DEADLINE_SECONDS = 10;

    private BrokerFixture fixture;

    @BeforeEach
    void startBroker() {
        fixture = new BrokerFixture();
    }

    @AfterEach
    void stopBroker() {
        fixture.close();
    }

    /** With exactly-once delivery too, whose client confirms every lease extension. */
    @ParameterizedTest(name = "exactly-once {0}")
    @ValueSource(booleans = {false, true})
    void commandThreeTimesLongerThanTheAckDeadlineRunsOnceAndIsAcked(boolean exactlyOnce) throws Exception {
        JobDefinition plain = TestJobs.job("long", Duration.ofSeconds(ACK_DEADLINE_SECONDS),
                "sh", "-c", "echo started; sleep " + 3 * ACK_DEADLINE_SECONDS + "; echo finished");
        JobDefinition job = plain.withDelivery(plain.delivery().withExactlyOnce(exactlyOnce));
        PubSubClients clients = fixture.clients();
        new SubscriptionProvisioner(clients).provision(List.of(job), "instance-a");
        try (SubscriptionAdminClient admin = clients.subscriptionAdmin()) {
            Subscription created = admin.getSubscription(clients.subscription(job.subscription()));
            assertEquals(ACK_DEADLINE_SECONDS, created.getAckDeadlineSeconds());
            assertEquals(exactlyOnce, created.getEnableExactlyOnceDelivery());
        }

        RunHistory history = new RunHistory(10);
        RunTimer timer = RunTimer.on(fixture.executor());
        TickDispatcher dispatcher = new TickDispatcher(
                new ProcessRunner(ProcessLauncher.detect(), (j, r, line) -> { }, timer),
                history, task -> new Thread(task).start(), timer, Clock.systemUTC());
        JobSubscriber subscriber = new JobSubscriber(job, job.subscription(), clients, dispatcher);
        subscriber.start();
        subscriber.awaitRunning(Duration.ofSeconds(30));
        TickPublisher publisher = new TickPublisher(clients);
        try {
            publisher.publish(job, "manual", Map.of());

            fixture.awaitStats(job.subscription(), Duration.ofSeconds(3L * ACK_DEADLINE_SECONDS + 30), s -> s.acks() > 0);
            // Let a redelivery that a lapsed lease would cause show up before judging.
            Thread.sleep(2000);
            SubscriptionStats stats = fixture.stats(job.subscription());

            assertEquals(1, stats.acks(), stats.toString());
            assertEquals(1, stats.deliveries(), "delivered exactly once: " + stats);
            assertEquals(0, stats.redeliveries(), stats.toString());
            assertEquals(0, stats.leaseExpiries(), stats.toString());
            assertEquals(0, stats.outstanding() + stats.pending(), "nothing left in the subscription: " + stats);
            assertTrue(stats.deadlineRenewals() >= 2, "the lease was renewed while the command ran: " + stats);

            List<RunRecord> runs = history.runs(job.name());
            assertEquals(1, runs.size(), runs.toString());
            assertEquals(RunState.SUCCEEDED, runs.get(0).state());
            assertEquals("started\nfinished\n", runs.get(0).output());
            Duration ran = Duration.between(runs.get(0).startedAt(), runs.get(0).endedAt());
            assertTrue(ran.toSeconds() >= 3L * ACK_DEADLINE_SECONDS, "the command really outlived the deadline: " + ran);
        } finally {
            publisher.close();
            subscriber.stop();
            subscriber.awaitStopped(Duration.ofSeconds(10));
        }
    }
}
