package io.cronexecutor.engine;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.TickPublisher;
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

/** Shutting an instance down with a command running: it finishes within the grace, or goes to another instance. */
class GracefulShutdownIT {

    @Test
    void runningCommandFinishesWithinTheGracePeriodAndIsAcked() throws Exception {
        JobDefinition job = TestJobs.shellJob("graceful", "sleep 2; echo finished");
        try (BrokerFixture fixture = new BrokerFixture();
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            InProcessExecutor a = new InProcessExecutor(fixture, "a", Duration.ofSeconds(20), job);
            String runId = publisher.publish(job, "manual", Map.of()).tickId();
            Await.until(Duration.ofSeconds(10), () -> a.history().find(job.name(), runId)
                    .map(r -> r.state() == RunState.RUNNING).orElse(false), () -> "the run started");
            a.shutdown();
            RunRecord run = a.history().find(job.name(), runId).orElseThrow();
            assertEquals(RunState.SUCCEEDED, run.state());
            assertEquals("finished\n", run.output());
            assertEquals(Settlement.ACK, run.settlement());
            assertEquals(1, fixture.awaitStats(job.subscription(), Duration.ofSeconds(5), s -> s.acks() == 1).acks());
        }
    }

    @Test
    void commandOutlivingTheGraceIsKilledAndHandedBackAndAnotherInstanceRunsIt() throws Exception {
        JobDefinition base = TestJobs.shellJob("handover",
                "if [ \"$INSTANCE\" = a ]; then sleep 300; fi; echo ran on $INSTANCE attempt $CRON_DELIVERY_ATTEMPT");
        JobDefinition job = base.withPolicy(base.policy().withKillGrace(Duration.ofSeconds(1)));
        try (BrokerFixture fixture = new BrokerFixture();
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            InProcessExecutor a = new InProcessExecutor(fixture, "a", Duration.ofSeconds(1), job);
            String runId = publisher.publish(job, "manual", Map.of()).tickId();
            Await.until(Duration.ofSeconds(10), () -> a.history().find(job.name(), runId)
                    .map(r -> r.state() == RunState.RUNNING).orElse(false), () -> "the run started on a");
            try (InProcessExecutor b = new InProcessExecutor(fixture, "b", Duration.ofSeconds(5), job)) {
                long started = System.nanoTime();
                a.shutdown();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                RunRecord interrupted = a.history().find(job.name(), runId).orElseThrow();
                assertEquals(RunState.INTERRUPTED, interrupted.state());
                assertEquals(Settlement.NACK, interrupted.settlement());
                assertEquals(true, took.compareTo(Duration.ofSeconds(15)) < 0, "shutdown took " + took);

                Await.until(Duration.ofSeconds(40), () -> b.history().find(job.name(), runId)
                        .map(r -> r.state() == RunState.SUCCEEDED).orElse(false), () -> "b ran the handed-back tick");
                assertEquals("ran on b attempt 2\n", b.history().find(job.name(), runId).orElseThrow().output());
            }
        }
    }
}
