package io.cronexecutor.run;

import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.PubsubMessage;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.TickAttributes;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns a delivered tick into a run: records it, runs the command on a thread of its own (so the
 * subscriber's threads are never blocked by a command), and acks when the command has exited.
 * Until then the Pub/Sub client keeps renewing the lease.
 */
public final class TickDispatcher {

    private static final Logger LOG = Logger.getLogger(TickDispatcher.class.getName());

    private final ProcessRunner runner;
    private final RunHistory history;
    private final ThreadFactory threads;
    private final Clock clock;

    public TickDispatcher(ProcessRunner runner, RunHistory history, ThreadFactory threads, Clock clock) {
        this.runner = runner;
        this.history = history;
        this.threads = threads;
        this.clock = clock;
    }

    public void dispatch(JobDefinition job, PubsubMessage message, int deliveryAttempt, TickReply reply) {
        String runId = runId(message);
        String trigger = message.getAttributesOrDefault(TickAttributes.TRIGGER, "external");
        RunRecord started = new RunRecord(runId, job.name(), trigger, message.getMessageId(), deliveryAttempt,
                clock.instant(), null, null, RunState.RUNNING, "", false, null);
        history.record(started);
        LOG.info(() -> "Run " + runId + " of job " + job.name() + " starting (" + trigger + " tick, message "
                + message.getMessageId() + ", published " + publishTime(message) + ", attempt " + deliveryAttempt + ")");
        Thread thread;
        try {
            thread = threads.newThread(() -> execute(job, started, reply));
        } catch (RuntimeException e) {
            thread = null;
            LOG.log(Level.WARNING, "No thread for run " + runId + " of job " + job.name() + "; handing the tick back", e);
        }
        if (thread == null) {
            history.record(started.finished(clock.instant(), ProcessOutcome.couldNotStart("no thread available to run it")));
            reply.nack();
            return;
        }
        thread.setName("cron-run-" + job.name() + "-" + runId);
        thread.start();
    }

    private void execute(JobDefinition job, RunRecord started, TickReply reply) {
        ProcessOutcome outcome;
        try {
            outcome = runner.run(job.name(), started.id(), job.argv());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Run " + started.id() + " of job " + job.name() + " failed unexpectedly", e);
            outcome = ProcessOutcome.couldNotStart("unexpected failure: " + e);
        }
        RunRecord finished = started.finished(clock.instant(), outcome);
        history.record(finished);
        LOG.info(() -> "Run " + finished.id() + " of job " + job.name() + " ended " + finished.state()
                + (finished.exitCode() != null ? " with exit code " + finished.exitCode() : "")
                + (finished.error() != null ? ": " + finished.error() : ""));
        // Acked whatever the exit code, as cron would; retry policies are per-job configuration to come.
        reply.ack();
    }

    static String runId(PubsubMessage message) {
        String tickId = message.getAttributesOrDefault(TickAttributes.TICK_ID, "");
        return tickId.isEmpty() ? "m-" + message.getMessageId() : tickId;
    }

    private static Instant publishTime(PubsubMessage message) {
        return Instant.ofEpochMilli(Timestamps.toMillis(message.getPublishTime()));
    }
}
