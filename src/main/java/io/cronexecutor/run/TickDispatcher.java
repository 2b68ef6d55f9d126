package io.cronexecutor.run;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.OverlapPolicy;
import io.cronexecutor.job.RunPolicy;
import io.cronexecutor.pubsub.TickAttributes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns delivered ticks into runs under each job's policies: duplicates and stale ticks are
 * settled without running, overlap is skipped or queued, the command runs on a thread of its own,
 * and the tick is acked or handed back by the exit-code policy only once the command is over.
 * Until then the Pub/Sub client keeps renewing the tick's lease.
 */
public final class TickDispatcher {

    private static final Logger LOG = Logger.getLogger(TickDispatcher.class.getName());

    private final CommandRunner runner;
    private final RunHistory history;
    private final Executor runThreads;
    private final RunTimer timer;
    private final Clock clock;
    private final Map<String, JobRuns> jobs = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /**
     * @param runThreads starts each run on a thread of its own, which drains the command's output
     *                   and waits for it; a pool would have to be as large as every job's
     *                   max-concurrent together anyway
     */
    public TickDispatcher(CommandRunner runner, RunHistory history, Executor runThreads, RunTimer timer, Clock clock) {
        this.runner = runner;
        this.history = history;
        this.runThreads = runThreads;
        this.timer = timer;
        this.clock = clock;
    }

    public void dispatch(JobDefinition job, Tick tick, TickReply reply) {
        if (draining) {
            reply.nack();
            return;
        }
        RunPolicy policy = job.policy();
        JobRuns runs = jobs.computeIfAbsent(job.name(), n -> new JobRuns());
        String runId = runId(tick);
        String trigger = tick.attributes().getOrDefault(TickAttributes.TRIGGER, "external");
        Instant now = clock.instant();
        RunRecord record = RunRecord.started(runId, job.name(), trigger, tick.messageId(), tick.deliveryAttempt(),
                RunState.RUNNING, now);
        JobRuns.Held held;
        synchronized (runs) {
            if (runs.alreadyAcked(tick.identity()) || settledEarlier(job, runId, tick)) {
                LOG.info(() -> "Tick " + tick.messageId() + " of job " + job.name()
                        + " was redelivered after it finished here; acked without running again");
                reply.ack();
                return;
            }
            Optional<JobRuns.Held> same = runs.holding(tick.identity());
            if (same.isPresent()) {
                // A second delivery of a tick this instance already holds: settle both together.
                same.get().replies.add(reply);
                return;
            }
            Optional<Duration> age = staleBy(policy, tick, now);
            if (age.isPresent()) {
                settleUnrun(record, RunState.MISSED, Settlement.ACK, reply, "tick was " + seconds(age.get())
                        + " old on arrival, more than max-age " + policy.maxAge().orElseThrow());
                return;
            }
            held = new JobRuns.Held(runId, tick, reply, new RunControl(timer), record);
            if (runs.runningCount() < policy.maxConcurrent()) {
                runs.startRunning(held);
            } else if (policy.overlap() == OverlapPolicy.SKIP) {
                settleUnrun(record, RunState.SKIPPED, Settlement.ACK, reply, "job already running "
                        + runs.runningCount() + " time(s), max-concurrent " + policy.maxConcurrent());
                return;
            } else {
                held.record = RunRecord.started(runId, job.name(), trigger, tick.messageId(), tick.deliveryAttempt(),
                        RunState.QUEUED, now);
                history.record(held.record);
                runs.enqueue(held);
                LOG.info(() -> "Run " + runId + " of job " + job.name() + " queued behind " + runs.runningCount()
                        + " running");
                return;
            }
        }
        launch(job, runs, held);
    }

    private void launch(JobDefinition job, JobRuns runs, JobRuns.Held held) {
        held.record = held.record.running(clock.instant());
        history.record(held.record);
        try {
            runThreads.execute(() -> execute(job, runs, held));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "No thread for run " + held.runId + " of job " + job.name() + "; handing the tick back", e);
            complete(job, runs, held, new ExitPolicy.Verdict(RunState.ERROR, Settlement.NACK,
                    "no thread available to run it; tick handed back"), null);
        }
    }

    private void execute(JobDefinition job, JobRuns runs, JobRuns.Held held) {
        RunPolicy policy = job.policy();
        LOG.info(() -> "Run " + held.runId + " of job " + job.name() + " starting (" + held.record.trigger()
                + " tick, message " + held.tick.messageId() + ", published " + held.tick.publishTime()
                + ", attempt " + held.tick.deliveryAttempt() + ")");
        ProcessOutcome outcome;
        try {
            LaunchSpec launch = new LaunchSpec(job.command().argv(), job.command().workingDir(),
                    TickEnvironment.of(job.name(), held.runId, held.tick, job.command().environment()), Optional.empty());
            outcome = runner.run(new RunRequest(job.name(), held.runId, launch, held.tick.data(), policy.timeout(),
                    policy.killGrace(), policy.outputLimit()), held.control);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Run " + held.runId + " of job " + job.name() + " failed unexpectedly", e);
            outcome = ProcessOutcome.couldNotStart("unexpected failure: " + e);
        }
        complete(job, runs, held, ExitPolicy.judge(policy, outcome), outcome);
    }

    private void complete(JobDefinition job, JobRuns runs, JobRuns.Held held, ExitPolicy.Verdict verdict,
                          ProcessOutcome outcome) {
        RunRecord finished = outcome == null
                ? held.record.settledUnrun(verdict.state(), verdict.settlement(), clock.instant(), verdict.detail())
                : held.record.finished(verdict.state(), verdict.settlement(), clock.instant(), outcome, verdict.detail());
        Optional<JobRuns.Held> next;
        List<TickReply> replies;
        synchronized (runs) {
            next = runs.finish(held, verdict.settlement(), !draining);
            replies = new ArrayList<>(held.replies);
        }
        history.record(finished);
        // Settled only now, after the command is over: until here the client kept the lease alive.
        replies.forEach(r -> settle(r, verdict.settlement()));
        LOG.info(() -> "Run " + finished.id() + " of job " + job.name() + " ended " + finished.state()
                + (finished.exitCode() != null ? " with exit code " + finished.exitCode() : "")
                + "; tick " + (verdict.settlement() == Settlement.ACK ? "acked" : "handed back")
                + (finished.detail() != null ? " (" + finished.detail() + ")" : ""));
        next.ifPresent(n -> launch(job, runs, n));
    }

    private void settleUnrun(RunRecord record, RunState state, Settlement settlement, TickReply reply, String why) {
        RunRecord settled = record.settledUnrun(state, settlement, record.startedAt(), why);
        history.record(settled);
        settle(reply, settlement);
        LOG.info(() -> "Tick " + record.messageId() + " of job " + record.job() + " " + state + ": " + why);
    }

    private static void settle(TickReply reply, Settlement settlement) {
        if (settlement == Settlement.ACK) {
            reply.ack();
        } else {
            reply.nack();
        }
    }

    /** Cancels a running or queued run; false if this instance has no such unfinished run. */
    public boolean cancel(JobDefinition job, String runId) {
        JobRuns runs = jobs.get(job.name());
        if (runs == null) {
            return false;
        }
        JobRuns.Held queued;
        synchronized (runs) {
            Optional<JobRuns.Held> running = runs.runningRun(runId);
            if (running.isPresent()) {
                return running.get().control.stop(StopReason.CANCELLED, job.policy().killGrace());
            }
            queued = runs.removeQueued(runId).orElse(null);
        }
        if (queued == null) {
            return false;
        }
        RunRecord cancelled = queued.record.settledUnrun(RunState.CANCELLED, Settlement.ACK, clock.instant(),
                "cancelled by an operator before it started");
        history.record(cancelled);
        queued.replies.forEach(TickReply::ack);
        return true;
    }

    /**
     * First step of a graceful shutdown: no new run starts, new ticks and queued ones are handed
     * straight back so another instance takes them.
     */
    public void beginShutdown() {
        draining = true;
        for (Map.Entry<String, JobRuns> entry : jobs.entrySet()) {
            List<JobRuns.Held> queued;
            synchronized (entry.getValue()) {
                queued = entry.getValue().drainQueue();
            }
            for (JobRuns.Held held : queued) {
                history.record(held.record.settledUnrun(RunState.INTERRUPTED, Settlement.NACK, clock.instant(),
                        "instance shutting down before the run started; tick handed back"));
                held.replies.forEach(TickReply::nack);
            }
        }
    }

    /** Waits until no command runs, or the timeout passes; true if none runs. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (runningCount() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Stops every command still running; their ticks are handed back (see {@link ExitPolicy}). */
    public void stopAll(Map<String, Duration> killGraceByJob) {
        for (Map.Entry<String, JobRuns> entry : jobs.entrySet()) {
            List<JobRuns.Held> running;
            synchronized (entry.getValue()) {
                running = entry.getValue().allRunning();
            }
            Duration grace = killGraceByJob.getOrDefault(entry.getKey(), Duration.ofSeconds(10));
            running.forEach(h -> h.control.stop(StopReason.SHUTDOWN, grace));
        }
    }

    public int runningCount() {
        int total = 0;
        for (JobRuns runs : jobs.values()) {
            synchronized (runs) {
                total += runs.runningCount();
            }
        }
        return total;
    }

    public int runningCount(String job) {
        JobRuns runs = jobs.get(job);
        if (runs == null) {
            return 0;
        }
        synchronized (runs) {
            return runs.runningCount();
        }
    }

    /**
     * Whether the history, which outlives a restart, holds this very delivery's run as over and
     * acked: the ack was lost (a crash before the client sent it, or before the broker kept it).
     */
    private boolean settledEarlier(JobDefinition job, String runId, Tick tick) {
        return history.find(job.name(), runId)
                .filter(run -> run.state().isFinal() && run.settlement() == Settlement.ACK && tick.messageId().equals(run.messageId()))
                .isPresent();
    }

    /**
     * The publisher's tick id, else one made from the message id and publish time: an emulator or
     * an in-memory broker numbers messages from 1 again after a restart, and the history, which
     * outlives it, must not take a new tick for an old one.
     */
    static String runId(Tick tick) {
        String tickId = tick.attributes().getOrDefault(TickAttributes.TICK_ID, "");
        return tickId.isEmpty() ? "m-" + tick.messageId() + "-" + tick.publishTime().toEpochMilli() : tickId;
    }

    /** How far past max-age the tick is, judged by when it was scheduled (or else published). */
    private static Optional<Duration> staleBy(RunPolicy policy, Tick tick, Instant now) {
        if (policy.maxAge().isEmpty()) {
            return Optional.empty();
        }
        Instant born = tick.publishTime();
        String scheduled = tick.attributes().get(TickAttributes.SCHEDULED_TIME);
        if (scheduled != null) {
            try {
                born = Instant.parse(scheduled);
            } catch (DateTimeParseException ignored) {
                // a publisher's attribute we cannot read: fall back to the publish time
            }
        }
        Duration age = Duration.between(born, now);
        return age.compareTo(policy.maxAge().get()) > 0 ? Optional.of(age) : Optional.empty();
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + "s";
    }
}
