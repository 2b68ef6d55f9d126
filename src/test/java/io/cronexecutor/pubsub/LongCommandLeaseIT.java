package io.cronexecutor.pubsub;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.pubsub.v1.Subscription;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.embedded.EmbeddedPubSubServer;
import io.cronexecutor.pubsub.embedded.SubscriptionStats;
import io.cronexecutor.run.ProcessLauncher;
import io.cronexecutor.run.ProcessRunner;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.run.TickDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The executor's own subscriber, over real gRPC to the embedded broker, running a real command
 * that outlives the ack deadline several times over.
 */
class LongCommandLeaseIT {

    private static final int ACK_DEADLINE_SECONDS = 10;

    private EmbeddedPubSubServer broker;
    private ScheduledExecutorService executor;
    private PubSubClients clients;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedPubSubServer.start("127.0.0.1", 0, EmbeddedPubSubServer.daemonThreads());
        executor = Executors.newScheduledThreadPool(4);
        clients = PubSubClients.local("test-project", "127.0.0.1:" + broker.port(), executor);
    }

    @AfterEach
    void stopBroker() {
        clients.close();
        executor.shutdownNow();
        broker.close();
    }

    @Test
    void commandThreeTimesLongerThanTheAckDeadlineRunsOnceAndIsAcked() throws Exception {
        JobDefinition job = new JobDefinition("long", "long-topic", "long-topic.long", "sleep 30",
                List.of("sh", "-c", "echo started; sleep " + 3 * ACK_DEADLINE_SECONDS + "; echo finished"),
                Optional.empty(), ZoneOffset.UTC, Duration.ofSeconds(ACK_DEADLINE_SECONDS));
        new SubscriptionProvisioner(clients).provision(List.of(job));
        try (SubscriptionAdminClient admin = clients.subscriptionAdmin()) {
            Subscription created = admin.getSubscription(clients.subscription(job.subscription()));
            assertEquals(ACK_DEADLINE_SECONDS, created.getAckDeadlineSeconds());
        }

        RunHistory history = new RunHistory(10);
        TickDispatcher dispatcher = new TickDispatcher(
                new ProcessRunner(ProcessLauncher.SYSTEM, (j, r, line) -> { }, 4096),
                history, Executors.defaultThreadFactory(), Clock.systemUTC());
        JobSubscriber subscriber = new JobSubscriber(job, clients, dispatcher);
        subscriber.start();
        subscriber.awaitRunning(Duration.ofSeconds(30));
        TickPublisher publisher = new TickPublisher(clients);
        try {
            publisher.publish(job, "manual", Map.of());

            String subscription = clients.subscription(job.subscription()).toString();
            long deadline = System.nanoTime() + Duration.ofSeconds(3L * ACK_DEADLINE_SECONDS + 30).toNanos();
            SubscriptionStats stats = broker.broker().stats(subscription);
            while (stats.acks() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                stats = broker.broker().stats(subscription);
            }
            // Let a redelivery that a lapsed lease would cause show up before judging.
            Thread.sleep(2000);
            stats = broker.broker().stats(subscription);

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
