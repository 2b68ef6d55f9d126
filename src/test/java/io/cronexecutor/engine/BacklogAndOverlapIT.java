package io.cronexecutor.engine;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.OverlapPolicy;
import io.cronexecutor.pubsub.SubscriptionProvisioner;
import io.cronexecutor.pubsub.TickAttributes;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.InProcessExecutor;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staleness and overlap policies with real commands, the real client and the embedded broker. */
class BacklogAndOverlapIT {

    @Test
    void ofAHundredBackloggedTicksOnlyThoseWithinMaxAgeRun() throws Exception {
        JobDefinition base = TestJobs.job("backlog", "true");
        JobDefinition job = base.withPolicy(base.policy().withMaxAge(Duration.ofMinutes(10)).withConcurrency(4, OverlapPolicy.QUEUE));
        try (BrokerFixture fixture = new BrokerFixture()) {
            new SubscriptionProvisioner(fixture.clients()).provision(List.of(job), "test");
            Instant now = Instant.now();
            try (TickPublisher publisher = new TickPublisher(fixture.clients())) {
                // As after ten hours of downtime: one tick every six minutes, the newest 30 s ago.
                for (int i = 99; i >= 0; i--) {
                    Instant scheduled = now.minus(Duration.ofSeconds(30 + 360L * i));
                    publisher.publish(job, "schedule", Map.of(TickAttributes.SCHEDULED_TIME, scheduled.toString()));
                }
            }
            try (InProcessExecutor executor = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job)) {
                fixture.awaitStats(job.subscription(), Duration.ofSeconds(60), s -> s.acks() == 100);
                Map<RunState, Long> states = executor.runs(job.name()).stream()
                        .collect(Collectors.groupingBy(RunRecord::state, Collectors.counting()));
                assertEquals(Map.of(RunState.SUCCEEDED, 2L, RunState.MISSED, 98L), states,
                        "ticks scheduled 30 s and 6.5 min ago run; the 98 older than 10 min are missed");
            }
        }
    }

    @Test
    void overlapSkipRecordsTicksThatArriveWhileTheJobRuns() throws Exception {
        JobDefinition job = TestJobs.job("skipping", "sleep", "3");
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor executor = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            String first = publisher.publish(job, "manual", Map.of()).tickId();
            Await.until(Duration.ofSeconds(10), () -> state(executor, job, first) == RunState.RUNNING, () -> "first run started");
            String second = publisher.publish(job, "manual", Map.of()).tickId();
            Await.until(Duration.ofSeconds(10), () -> state(executor, job, second) == RunState.SKIPPED, () -> "second skipped");
            Await.until(Duration.ofSeconds(10), () -> state(executor, job, first) == RunState.SUCCEEDED, () -> "first done");
            assertEquals(2, fixture.awaitStats(job.subscription(), Duration.ofSeconds(5), s -> s.acks() == 2).acks());
        }
    }

    @Test
    void overlapQueueRunsTheNextTickOnlyAfterTheRunningOneEnds() throws Exception {
        JobDefinition base = TestJobs.job("queueing", "sleep", "3");
        JobDefinition job = base.withPolicy(base.policy().withConcurrency(1, OverlapPolicy.QUEUE));
        try (BrokerFixture fixture = new BrokerFixture();
             InProcessExecutor executor = new InProcessExecutor(fixture, "a", Duration.ofSeconds(5), job);
             TickPublisher publisher = new TickPublisher(fixture.clients())) {
            String first = publisher.publish(job, "manual", Map.of()).tickId();
            Await.until(Duration.ofSeconds(10), () -> state(executor, job, first) == RunState.RUNNING, () -> "first run started");
            String second = publisher.publish(job, "manual", Map.of()).tickId();
            Await.until(Duration.ofSeconds(10), () -> state(executor, job, second) == RunState.QUEUED, () -> "second queued");
            Await.until(Duration.ofSeconds(20), () -> state(executor, job, second) == RunState.SUCCEEDED, () -> "second ran");
            RunRecord a = executor.history().find(job.name(), first).orElseThrow();
            RunRecord b = executor.history().find(job.name(), second).orElseThrow();
            assertTrue(!b.startedAt().isBefore(a.endedAt()), "second started " + b.startedAt() + " after first ended " + a.endedAt());
            assertEquals(0, fixture.stats(job.subscription()).redeliveries(), "the queued tick stayed leased");
        }
    }

    @Test
    void aQueueingInstanceLeasesAtMostMaxConcurrentPlusMaxQueuedTicksAndLeavesTheRestToOthers() throws Exception {
        JobDefinition base = TestJobs.job("hoarding", "sleep", "30");
        JobDefinition job = base.withPolicy(base.policy().withConcurrency(1, OverlapPolicy.QUEUE).withMaxQueued(2)
                .withKillGrace(Duration.ofSeconds(1)));
        try (BrokerFixture fixture = new BrokerFixture()) {
            new SubscriptionProvisioner(fixture.clients()).provision(List.of(job), "test");
            try (TickPublisher publisher = new TickPublisher(fixture.clients())) {
                for (int i = 0; i < 8; i++) {
                    publisher.publish(job, "manual", Map.of());
                }
            }
            try (InProcessExecutor a = new InProcessExecutor(fixture, "a", Duration.ofSeconds(1), job)) {
                assertEquals(3, fixture.awaitStats(job.subscription(), Duration.ofSeconds(10), s -> s.outstanding() == 3).outstanding());
                Thread.sleep(1500); // long enough for a client that asked for more to have got it
                assertEquals(3, fixture.stats(job.subscription()).outstanding(), "one running and two queued, no more");
                assertEquals(5, fixture.stats(job.subscription()).pending());
                assertEquals(1, a.engine().dispatcher().runningCount(job.name()));
                try (InProcessExecutor b = new InProcessExecutor(fixture, "b", Duration.ofSeconds(1), job)) {
                    assertEquals(6, fixture.awaitStats(job.subscription(), Duration.ofSeconds(10), s -> s.outstanding() == 6)
                            .outstanding(), "a second instance takes its own three");
                    Await.until(Duration.ofSeconds(10), () -> b.engine().dispatcher().runningCount(job.name()) == 1,
                            () -> "b runs one of its ticks");
                    assertEquals(1, a.engine().dispatcher().runningCount(job.name()), "a still runs one at a time");
                }
            }
        }
    }

    private static RunState state(InProcessExecutor executor, JobDefinition job, String runId) {
        return executor.history().find(job.name(), runId).map(RunRecord::state).orElse(null);
    }
}
