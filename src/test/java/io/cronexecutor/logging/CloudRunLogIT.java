package io.cronexecutor.logging;

import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.WriteLogEntriesRequest;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.pubsub.embedded.SubscriptionStats;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.ShipmentCounts;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.FakeCloudLogging;
import io.cronexecutor.testing.InProcessExecutor;
import io.cronexecutor.testing.TestJobs;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run output and outcomes reach Cloud Logging through the official client over real gRPC (to a
 * local endpoint speaking the Logging API), and an API that fails or stops answering costs log
 * entries, never a run or its ack.
 */
class CloudRunLogIT {


    private static CloudLoggingSettings settings(FakeCloudLogging api, long bufferBytes) {
        return new CloudLoggingSettings(BrokerFixture.PROJECT, "cron-executor", Optional.of(api.hostPort()), bufferBytes);
    }

    @Test
    void outputLinesAndTheOutcomeArriveLabelledWithJobRunAndInstance() throws Exception {
        JobDefinition job = TestJobs.shellJob("report", "echo one; echo two >&2; exit 3");
        ShipmentCounts counts = new ShipmentCounts();
        try (FakeCloudLogging api = new FakeCloudLogging(); BrokerFixture fixture = new BrokerFixture()) {
            CloudRunLog log = CloudRunLog.start(settings(api, 1 << 20), "vm-a", fixture.executor(), Thread::new, counts);
            String runId;
            try (InProcessExecutor executor = new InProcessExecutor(fixture, "vm-a", Duration.ofSeconds(5), log, log, job);
                 TickPublisher publisher = new TickPublisher(fixture.clients())) {
                runId = publisher.publish(job, "manual", Map.of()).tickId();
                fixture.awaitStats(job.subscription(), Duration.ofSeconds(30), s -> s.acks() == 1);
                Await.until(Duration.ofSeconds(30), () -> api.entries().size() == 3, () -> "3 entries, got " + api.entries());
            } finally {
                log.close(Duration.ofSeconds(5));
            }

            WriteLogEntriesRequest request = api.requests().get(0);
            assertEquals("projects/test-project/logs/cron-executor", request.getLogName());
            assertEquals("global", request.getResource().getType());
            assertEquals("test-project", request.getResource().getLabelsOrThrow("project_id"));
            assertEquals("vm-a", request.getLabelsOrThrow("instance"));

            List<LogEntry> entries = api.entries();
            assertEquals(List.of("one", "two", ""), entries.stream().map(LogEntry::getTextPayload).toList(),
                    "stdout and stderr lines in order, then the outcome");
            for (LogEntry entry : entries) {
                assertEquals("report", entry.getLabelsOrThrow("job"));
                assertEquals(runId, entry.getLabelsOrThrow("run_id"));
                assertEquals(runId, entry.getOperation().getId());
            }
            LogEntry outcome = entries.get(2);
            assertEquals(LogSeverity.ERROR, outcome.getSeverity());
            assertEquals("FAILED", outcome.getJsonPayload().getFieldsOrThrow("state").getStringValue());
            assertEquals(3, outcome.getJsonPayload().getFieldsOrThrow("exitCode").getNumberValue());
            assertTrue(outcome.getOperation().getLast());
            assertEquals(3, counts.written.get());
            assertEquals(0, counts.dropped.get());
        }
    }

    @Test
    void entriesRefusedWhileTheApiIsUnavailableAreWrittenOnceItRecovers() throws Exception {
        JobDefinition job = TestJobs.shellJob("counter", "seq 1 200");
        ShipmentCounts counts = new ShipmentCounts();
        try (FakeCloudLogging api = new FakeCloudLogging(); BrokerFixture fixture = new BrokerFixture()) {
            api.refuse(Status.UNAVAILABLE.withDescription("backend restarting"), 2);
            CloudRunLog log = CloudRunLog.start(settings(api, 1 << 20), "vm-a", fixture.executor(), Thread::new, counts);
            try (InProcessExecutor executor = new InProcessExecutor(fixture, "vm-a", Duration.ofSeconds(5), log, log, job);
                 TickPublisher publisher = new TickPublisher(fixture.clients())) {
                publisher.publish(job, "manual", Map.of());
                fixture.awaitStats(job.subscription(), Duration.ofSeconds(30), s -> s.acks() == 1);
                Await.until(Duration.ofSeconds(30), () -> counts.written.get() == 201, () -> "201 written, was " + counts.written);
            } finally {
                log.close(Duration.ofSeconds(5));
            }

            List<String> lines = api.entries().stream().map(LogEntry::getTextPayload).filter(t -> !t.isEmpty()).toList();
            assertEquals(200, lines.size(), "each line once");
            assertEquals("1", lines.get(0));
            assertEquals("200", lines.get(199));
            assertEquals(0, counts.dropped.get());
            assertTrue(api.calls() >= 3, "two refused calls, then the write");
        }
    }

    @Test
    void aFloodOfOutputWhileTheApiHangsNeitherStallsTheCommandNorLosesItsOutcome() throws Exception {
        // 400,000 lines against a 64 KiB buffer and an API that does not answer.
        JobDefinition job = TestJobs.shellJob("flood", "seq 1 400000");
        ShipmentCounts counts = new ShipmentCounts();
        try (FakeCloudLogging api = new FakeCloudLogging(); BrokerFixture fixture = new BrokerFixture()) {
            api.hang();
            CloudRunLog log = CloudRunLog.start(settings(api, 64 * 1024), "vm-a", fixture.executor(), Thread::new, counts);
            try (InProcessExecutor executor = new InProcessExecutor(fixture, "vm-a", Duration.ofSeconds(5), log, log, job);
                 TickPublisher publisher = new TickPublisher(fixture.clients())) {
                String runId = publisher.publish(job, "manual", Map.of()).tickId();
                SubscriptionStats stats = fixture.awaitStats(job.subscription(), Duration.ofSeconds(60), s -> s.acks() == 1);
                RunRecord run = executor.history().find(job.name(), runId).orElseThrow();
                assertEquals(RunState.SUCCEEDED, run.state());
                assertTrue(run.output().endsWith("400000\n"), "the run's own tail is complete");
                assertEquals(1, stats.deliveries(), "acked on time, never redelivered");
                assertTrue(counts.dropped.get() > 300_000, "lines beyond the buffer dropped: " + counts.dropped);

                api.release();
                Await.until(Duration.ofSeconds(60), () -> api.entries().stream().anyMatch(e -> e.hasJsonPayload()),
                        () -> "the outcome written once the API answers");
                LogEntry outcome = api.entries().stream().filter(LogEntry::hasJsonPayload).findFirst().orElseThrow();
                assertEquals("SUCCEEDED", outcome.getJsonPayload().getFieldsOrThrow("state").getStringValue());
                assertEquals(runId, outcome.getLabelsOrThrow("run_id"));
            } finally {
                log.close(Duration.ofSeconds(5));
            }
        }
    }
}
