package io.cronexecutor.run;

import java.time.Instant;

/**
 * One execution of a job's command, or a tick on its way to one.
 *
 * @param id              the run's id: the tick id the publisher set, else derived from the message id
 * @param job             the job's name
 * @param trigger         what produced the tick: schedule, manual or external (e.g. Cloud Scheduler)
 * @param messageId       the Pub/Sub message id of the tick
 * @param deliveryAttempt which delivery of the message this is (1 for the first; 0 if the broker did not say)
 * @param startedAt       when the command started, or when the tick was published for a PUBLISHED run
 * @param endedAt         when the command ended; null while it runs
 * @param exitCode        the command's exit code; null until it ends, or if it never started
 * @param state           the run's state
 * @param output          the tail of the command's combined stdout and stderr
 * @param outputTruncated whether earlier output was dropped to keep the tail bounded
 * @param error           why the command could not be started; null otherwise
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
        String output,
        boolean outputTruncated,
        String error) {

    public RunRecord finished(Instant at, ProcessOutcome outcome) {
        RunState end = outcome.startError() != null ? RunState.ERROR
                : outcome.exitCode() == 0 ? RunState.SUCCEEDED : RunState.FAILED;
        return new RunRecord(id, job, trigger, messageId, deliveryAttempt, startedAt, at,
                outcome.startError() != null ? null : outcome.exitCode(), end,
                outcome.output(), outcome.outputTruncated(), outcome.startError());
    }
}
