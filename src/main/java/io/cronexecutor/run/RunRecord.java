package io.cronexecutor.run;

import java.time.Instant;

/**
 * One execution of a job's command, or a tick on its way to one.
 *
 * @param id              the run's id: the tick id the publisher set, else made of the message id and publish time
 * @param job             the job's name
 * @param trigger         what produced the tick: schedule, manual or external (e.g. Cloud Scheduler)
 * @param messageId       the Pub/Sub message id of the tick
 * @param deliveryAttempt which delivery of the message this is (1 for the first; 0 if the broker did not say)
 * @param startedAt       when the command started (or the tick was handled, for runs that never start)
 * @param endedAt         when the run ended; null while it runs
 * @param exitCode        the command's exit code; null until it ends, or if it never started
 * @param state           the run's state
 * @param settlement      what was done with the tick: ACK, NACK, or null while undecided
 * @param output          the tail of the command's combined stdout and stderr
 * @param outputTruncated whether earlier output was dropped to keep the tail bounded
 * @param detail          why the run ended as it did, when the state alone does not say; null otherwise
 */
public record RunRecord(
        String id,
        String job,
        String trigger,
        String messageId,
        int deliveryAttempt,
        Instant startedAt,
        Instant endedAt,
        Integer exitCode,
        RunState state,
        Settlement settlement,
        String output,
        boolean outputTruncated,
        String detail) {

    public static RunRecord started(String id, String job, String trigger, String messageId, int attempt,
                                    RunState state, Instant at) {
        return new RunRecord(id, job, trigger, messageId, attempt, at, null, null, state, null, "", false, null);
    }

    public RunRecord running(Instant at) {
        return new RunRecord(id, job, trigger, messageId, deliveryAttempt, at, null, null, RunState.RUNNING,
                null, "", false, null);
    }

    /** A tick settled without running its command (skipped, missed, handed back at shutdown). */
    public RunRecord settledUnrun(RunState end, Settlement how, Instant at, String why) {
        return new RunRecord(id, job, trigger, messageId, deliveryAttempt, startedAt, at, null, end, how, "", false, why);
    }

    public RunRecord finished(RunState end, Settlement how, Instant at, ProcessOutcome outcome, String why) {
        return new RunRecord(id, job, trigger, messageId, deliveryAttempt, startedAt, at,
                outcome.startError() != null ? null : outcome.exitCode(), end, how,
                outcome.output(), outcome.outputTruncated(), why);
    }
}
