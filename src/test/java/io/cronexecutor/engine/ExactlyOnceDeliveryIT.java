package io.cronexecutor.engine;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.JobSubscriber;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.pubsub.embedded.SubscriptionStats;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.InProcessExecutor;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs on exactly-once subscriptions, through the real client and the embedded broker: Pub/Sub
 * confirms each ack, and an ack it refuses because the lease lapsed is reported.
 */
class ExactlyOnceDeliveryIT {

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger subscriberLog = Logger.getLogger(JobSubscriber.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        subscriberLog.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        subscriberLog.removeHandler(capture);
    }

    private static JobDefinition exactlyOnce(JobDefinition job) {
        return job.withDelivery(job.delivery().withExactlyOnce(true));
    }

    @Test
    void aTickRunsAndItsAckIsTakenWithoutAWord() throws Exception {
        JobDefinition job = exactlyOnce(TestJobs.shellJob("once", "echo ran"));
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor executor = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            String runId = publisher.publish(job, "manual", Map.of()).tickId();
            SubscriptionStats stats = fixture.awaitStats(job.subscription(), Duration.ofSeconds(30), s -> s.acks() == 1);
            assertEquals(RunState.SUCCEEDED, executor.history().find(job.name(), runId).orElseThrow().state());
            assertEquals(1, stats.deliveries());
            Thread.sleep(500); // the ack's confirmation arrives after the ack itself
            assertTrue(warnings.isEmpty(), warnings.toString());
        }
    }

    @Test
    void anAckRefusedBecauseTheLeaseLapsedIsReportedAndTheRedeliveryIsNotRunAgainHere() throws Exception {
        JobDefinition job = exactlyOnce(TestJobs.shellJob("stalled", "sleep 3; echo done"));
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor executor = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            String runId = publisher.publish(job, "manual", Map.of()).tickId();
            Await.until(Duration.ofSeconds(30), () -> executor.history().find(job.name(), runId)
                    .map(r -> r.state() == RunState.RUNNING).orElse(false), () -> "the run started");

            // As if this VM had stalled past its lease: Pub/Sub hands the tick out again.
            fixture.skipAhead(Duration.ofMinutes(5));

            SubscriptionStats stats = fixture.awaitStats(job.subscription(), Duration.ofSeconds(30), s -> s.acks() == 1);
            assertEquals(2, stats.deliveries(), stats.toString());
            List<RunRecord> runs = executor.runs(job.name());
            assertEquals(1, runs.size(), "the second delivery joined the running run: " + runs);
            assertEquals(RunState.SUCCEEDED, runs.get(0).state());
            Await.until(Duration.ofSeconds(10), () -> warnings.stream().anyMatch(w -> w.startsWith(
                    "Pub/Sub refused the ack of delivery 1 of tick")), () -> "the refused ack reported, got " + warnings);
        }
    }
}
