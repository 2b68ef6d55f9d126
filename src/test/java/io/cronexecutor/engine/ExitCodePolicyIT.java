package io.cronexecutor.engine;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.pubsub.embedded.SubscriptionStats;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.run.Settlement;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.InProcessExecutor;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exit codes decide, through the real client and broker, whether a tick is acked or redelivered. */
class ExitCodePolicyIT {

    @Test
    void exit75IsRedeliveredWithDeliveryAttempt2() throws Exception {
        JobDefinition job = TestJobs.shellJob("tempfail",
                "if [ \"$CRON_DELIVERY_ATTEMPT\" = 1 ]; then echo busy; exit 75; fi; echo done on attempt $CRON_DELIVERY_ATTEMPT");
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor executor = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            String runId = publisher.publish(job, "manual", Map.of()).tickId();
            // The subscription's retry policy backs a handed-back tick off for 10 s at least.
            Await.until(Duration.ofSeconds(60), () -> executor.history().find(job.name(), runId)
                    .map(r -> r.state() == RunState.SUCCEEDED).orElse(false), () -> "the redelivery succeeded");
            RunRecord run = executor.history().find(job.name(), runId).orElseThrow();
            assertEquals(2, run.deliveryAttempt());
            assertEquals("done on attempt 2\n", run.output());
            SubscriptionStats stats = fixture.awaitStats(job.subscription(), Duration.ofSeconds(5), s -> s.acks() == 1);
            assertEquals(1, stats.nacks(), stats.toString());
            assertEquals(1, stats.acks(), stats.toString());
            assertEquals(2, stats.deliveries(), stats.toString());
        }
    }

    @Test
    void exit1IsAckedAndRecordedFailedUnderTheDefaultPolicy() throws Exception {
        JobDefinition job = TestJobs.shellJob("broken", "echo failing; exit 1");
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor executor = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            String runId = publisher.publish(job, "manual", Map.of()).tickId();
            SubscriptionStats stats = fixture.awaitStats(job.subscription(), Duration.ofSeconds(30), s -> s.acks() == 1);
            RunRecord run = executor.history().find(job.name(), runId).orElseThrow();
            assertEquals(RunState.FAILED, run.state());
            assertEquals(1, run.exitCode());
            assertEquals(Settlement.ACK, run.settlement());
            Thread.sleep(1000);
            stats = fixture.stats(job.subscription());
            assertEquals(1, stats.deliveries(), "never redelivered: " + stats);
            assertEquals(0, stats.nacks());
        }
    }
}
