package io.cronexecutor.run;

import io.cronexecutor.job.FailurePolicy;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.OverlapPolicy;
import io.cronexecutor.pubsub.TickAttributes;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dispatch policies with a scripted command runner and a fixed clock: no processes, no sleeping on timers. */
class TickDispatcherTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final RunHistory history = new RunHistory(200);
    private final List<RunRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private Function<RunRequest, ProcessOutcome> outcomes = r -> ProcessOutcome.exited(0, "ok\n");

    /** Runs "commands" by looking up their outcome; a run whose id is held blocks until released or stopped. */
    private final CommandRunner runner = (request, control) -> {
        requests.add(request);
        CountDownLatch hold = holds.get(request.runId());
        if (hold != null) {
            try {
                while (!hold.await(10, TimeUnit.MILLISECONDS)) {
                    if (control.stopReason().isPresent()) {
                        control.finished();
                        return new ProcessOutcome(143, "", false, null, control.stopReason().get());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        control.finished();
        return outcomes.apply(request);
    };
    private final RunTimer noTimer = (task, delay) -> () -> { };
    private final TickDispatcher dispatcher = new TickDispatcher(runner, history, threads, noTimer,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stopThreads() {
        holds.values().forEach(CountDownLatch::countDown);
        threads.shutdownNow();
    }

    /** Records how a tick was settled. */
    private static final class Reply implements TickReply {
        final CountDownLatch settled = new CountDownLatch(1);
        volatile Settlement how;

        @Override
        public void ack() {
            how = Settlement.ACK;
            settled.countDown();
        }

        @Override
        public void nack() {
            how = Settlement.NACK;
            settled.countDown();
        }

        Settlement await() throws InterruptedException {
            assertTrue(settled.await(5, TimeUnit.SECONDS), "settled in time");
            return how;
        }
    }

    private static Tick tick(String id, Instant published, Map<String, String> attributes) {
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.putIfAbsent(TickAttributes.TICK_ID, "run-" + id);
        return new Tick(id, new byte[0], all, published, 1);
    }

    private static Tick tick(String id) {
        return tick(id, NOW, Map.of());
    }

    private Reply dispatch(JobDefinition job, Tick tick) {
        Reply reply = new Reply();
        dispatcher.dispatch(job, tick, reply);
        return reply;
    }

    private RunRecord run(String tickId) {
        return history.find("job", "run-" + tickId).orElseThrow();
    }

    private static JobDefinition job() {
        return TestJobs.job("job", "true");
    }

    @Test
    void exitZeroIsAckedAndSucceeded() throws InterruptedException {
        assertEquals(Settlement.ACK, dispatch(job(), tick("1")).await());
        assertEquals(RunState.SUCCEEDED, run("1").state());
        assertEquals(0, run("1").exitCode());
        assertEquals("ok\n", run("1").output());
    }

    @Test
    void retryExitCodeIsHandedBackForRedelivery() throws InterruptedException {
        outcomes = r -> ProcessOutcome.exited(75, "");
        assertEquals(Settlement.NACK, dispatch(job(), tick("1")).await());
        assertEquals(RunState.FAILED, run("1").state());
        assertEquals(Settlement.NACK, run("1").settlement());
    }

    @Test
    void otherFailureIsAckedByDefaultLikeCron() throws InterruptedException {
        outcomes = r -> ProcessOutcome.exited(1, "");
        assertEquals(Settlement.ACK, dispatch(job(), tick("1")).await());
        assertEquals(RunState.FAILED, run("1").state());
        assertEquals(1, run("1").exitCode());
    }

    @Test
    void otherFailureIsHandedBackWhenOnFailureIsRetry() throws InterruptedException {
        outcomes = r -> ProcessOutcome.exited(1, "");
        JobDefinition job = job().withPolicy(job().policy().withOnFailure(FailurePolicy.RETRY));
        assertEquals(Settlement.NACK, dispatch(job, tick("1")).await());
    }

    @Test
    void timeoutAndStartErrorFollowTheFailurePolicy() throws InterruptedException {
        outcomes = r -> new ProcessOutcome(143, "", false, null, StopReason.TIMEOUT);
        assertEquals(Settlement.ACK, dispatch(job(), tick("1")).await());
        assertEquals(RunState.TIMED_OUT, run("1").state());

        outcomes = r -> ProcessOutcome.couldNotStart("cannot start x");
        JobDefinition retrying = job().withPolicy(job().policy().withOnFailure(FailurePolicy.RETRY));
        assertEquals(Settlement.NACK, dispatch(retrying, tick("2")).await());
        assertEquals(RunState.ERROR, run("2").state());
        assertEquals("cannot start x", run("2").detail());
    }

    @Test
    void redeliveryOfATickThatFinishedHereIsAckedWithoutRunningAgain() throws InterruptedException {
        dispatch(job(), tick("1")).await();
        assertEquals(Settlement.ACK, dispatch(job(), tick("1")).await());
        assertEquals(1, requests.size());
    }

    @Test
    void redeliveryOfATickSettledBeforeARestartIsAckedWithoutRunningAgain() throws InterruptedException {
        dispatch(job(), tick("1")).await();
        // A new dispatcher on the same (restored) history: the restarted service.
        TickDispatcher restarted = new TickDispatcher(runner, history, threads, noTimer, Clock.fixed(NOW, ZoneOffset.UTC));
        Reply again = new Reply();
        restarted.dispatch(job(), tick("1"), again);

        assertEquals(Settlement.ACK, again.await());
        assertEquals(1, requests.size());
        assertEquals(RunState.SUCCEEDED, run("1").state());
    }

    @Test
    void aMessageIdReusedByARestartedBrokerIsANewTickNotARedelivery() throws InterruptedException {
        // Ticks from other publishers (Cloud Scheduler) carry no tick id: the run id comes from the message.
        Tick first = new Tick("7", new byte[0], Map.of(), NOW, 1);
        dispatch(job(), first).await();
        assertEquals(Settlement.ACK, dispatch(job(), new Tick("7", new byte[0], Map.of(), NOW, 2)).await());
        assertEquals(1, requests.size(), "the same message again is a redelivery");

        TickDispatcher restarted = new TickDispatcher(runner, history, threads, noTimer, Clock.fixed(NOW, ZoneOffset.UTC));
        Reply reply = new Reply();
        restarted.dispatch(job(), new Tick("7", new byte[0], Map.of(), NOW.plusSeconds(3600), 1), reply);
        assertEquals(Settlement.ACK, reply.await());
        assertEquals(2, requests.size(), "message 7 of a broker that started over is a tick of its own");
    }

    @Test
    void redeliveryOfAHandedBackTickRunsAgain() throws InterruptedException {
        outcomes = r -> ProcessOutcome.exited(75, "");
        dispatch(job(), tick("1")).await();
        dispatch(job(), tick("1")).await();
        assertEquals(2, requests.size());
    }

    @Test
    void secondDeliveryOfATickStillRunningIsSettledWithTheRun() throws InterruptedException {
        holds.put("run-1", new CountDownLatch(1));
        Reply first = dispatch(job(), tick("1"));
        Await.until(Duration.ofSeconds(5), () -> requests.size() == 1, () -> "the run started");
        Reply second = dispatch(job(), tick("1"));
        holds.get("run-1").countDown();
        assertEquals(Settlement.ACK, first.await());
        assertEquals(Settlement.ACK, second.await());
        assertEquals(1, requests.size(), "one run for both deliveries");
    }

    @Test
    void ofAHundredBackloggedTicksOnlyThoseWithinMaxAgeRun() throws InterruptedException {
        JobDefinition job = job().withPolicy(job().policy().withMaxAge(Duration.ofMinutes(10))
                .withConcurrency(1, OverlapPolicy.QUEUE));
        List<Reply> replies = new ArrayList<>();
        for (int minutesAgo = 99; minutesAgo >= 0; minutesAgo--) {
            replies.add(dispatch(job, tick("t" + minutesAgo, NOW.minus(Duration.ofMinutes(minutesAgo)), Map.of())));
        }
        for (Reply reply : replies) {
            assertEquals(Settlement.ACK, reply.await());
        }
        long missed = history.runs("job").stream().filter(r -> r.state() == RunState.MISSED).count();
        assertEquals(89, missed, "ticks 11 to 99 minutes old are missed");
        assertEquals(11, requests.size(), "ticks up to 10 minutes old run");
        assertTrue(run("t99").detail().contains("max-age"), run("t99").detail());
    }

    @Test
    void scheduledTimeAttributeJudgesAgeBeforePublishTime() throws InterruptedException {
        JobDefinition job = job().withPolicy(job().policy().withMaxAge(Duration.ofMinutes(1)));
        Tick lateScheduled = tick("1", NOW, Map.of(TickAttributes.SCHEDULED_TIME, NOW.minus(Duration.ofHours(1)).toString()));
        dispatch(job, lateScheduled).await();
        assertEquals(RunState.MISSED, run("1").state());
    }

    @Test
    void overlapSkipAcksTheTickWhileTheJobRuns() throws InterruptedException {
        holds.put("run-1", new CountDownLatch(1));
        Reply first = dispatch(job(), tick("1"));
        Await.until(Duration.ofSeconds(5), () -> requests.size() == 1, () -> "the first run started");
        assertEquals(Settlement.ACK, dispatch(job(), tick("2")).await());
        assertEquals(RunState.SKIPPED, run("2").state());
        holds.get("run-1").countDown();
        first.await();
        assertEquals(1, requests.size());
    }

    @Test
    void overlapQueueHoldsTheTickUntilASlotFrees() throws InterruptedException {
        JobDefinition job = job().withPolicy(job().policy().withConcurrency(1, OverlapPolicy.QUEUE));
        holds.put("run-1", new CountDownLatch(1));
        Reply first = dispatch(job, tick("1"));
        Await.until(Duration.ofSeconds(5), () -> requests.size() == 1, () -> "the first run started");
        Reply second = dispatch(job, tick("2"));
        assertEquals(RunState.QUEUED, run("2").state());
        assertEquals(1, second.settled.getCount(), "a queued tick stays leased, unsettled");

        holds.get("run-1").countDown();
        assertEquals(Settlement.ACK, first.await());
        assertEquals(Settlement.ACK, second.await());
        assertEquals(RunState.SUCCEEDED, run("2").state());
        assertEquals(List.of("run-1", "run-2"), requests.stream().map(RunRequest::runId).toList());
    }

    @Test
    void maxConcurrentRunsThatManyAtOnce() throws InterruptedException {
        JobDefinition job = job().withPolicy(job().policy().withConcurrency(3, OverlapPolicy.SKIP));
        for (int i = 1; i <= 4; i++) {
            holds.put("run-" + i, new CountDownLatch(1));
            dispatch(job, tick(Integer.toString(i)));
        }
        Await.until(Duration.ofSeconds(5), () -> requests.size() == 3, () -> "three runs started");
        assertEquals(RunState.SKIPPED, run("4").state());
        assertEquals(3, dispatcher.runningCount("job"));
    }

    @Test
    void shutdownHandsBackQueuedAndNewTicksAndStopsRunningOnes() throws InterruptedException {
        JobDefinition job = job().withPolicy(job().policy().withConcurrency(1, OverlapPolicy.QUEUE));
        holds.put("run-1", new CountDownLatch(1));
        Reply running = dispatch(job, tick("1"));
        Await.until(Duration.ofSeconds(5), () -> requests.size() == 1, () -> "the first run started");
        Reply queued = dispatch(job, tick("2"));

        dispatcher.beginShutdown();
        assertEquals(Settlement.NACK, queued.await());
        assertEquals(RunState.INTERRUPTED, run("2").state());
        assertEquals(Settlement.NACK, dispatch(job, tick("3")).await(), "a tick arriving during shutdown goes back");

        assertEquals(false, dispatcher.awaitIdle(Duration.ofMillis(200)));
        dispatcher.stopAll(Map.of("job", Duration.ofSeconds(1)));
        assertEquals(Settlement.NACK, running.await());
        assertEquals(RunState.INTERRUPTED, run("1").state());
        assertTrue(dispatcher.awaitIdle(Duration.ofSeconds(5)));
    }

    @Test
    void cancellingARunningRunAcksItsTick() throws InterruptedException {
        holds.put("run-1", new CountDownLatch(1));
        Reply reply = dispatch(job(), tick("1"));
        Await.until(Duration.ofSeconds(5), () -> requests.size() == 1, () -> "the run started");
        assertTrue(dispatcher.cancel(job(), "run-1"));
        assertEquals(Settlement.ACK, reply.await());
        assertEquals(RunState.CANCELLED, run("1").state());
    }

    @Test
    void commandSeesTheTickInItsEnvironmentAndDataOnStdin() throws InterruptedException {
        Tick tick = new Tick("42", "payload".getBytes(), Map.of(TickAttributes.TICK_ID, "run-42", "x-region.name", "eu"),
                NOW, 3);
        dispatch(job(), tick).await();
        RunRequest request = requests.get(0);
        Map<String, String> env = request.launch().environment();
        assertEquals("job", env.get("CRON_JOB"));
        assertEquals("run-42", env.get("CRON_RUN_ID"));
        assertEquals("42", env.get("CRON_MESSAGE_ID"));
        assertEquals("3", env.get("CRON_DELIVERY_ATTEMPT"));
        assertEquals(NOW.toString(), env.get("CRON_PUBLISH_TIME"));
        assertEquals("eu", env.get("CRON_ATTR_X_REGION_NAME"));
        assertEquals("payload", new String(request.stdinData()));
        assertEquals(List.of("true"), request.launch().argv(), "nothing from the message reaches argv");
    }
}
