package io.cronexecutor.run;

import io.cronexecutor.job.FailurePolicy;
import io.cronexecutor.job.RunPolicy;

/** Decides from how a command ended what the run's state is and whether its tick is acked or handed back. */
public final class ExitPolicy {

    /** The verdict on one run. */
    public record Verdict(RunState state, Settlement settlement, String detail) {
    }

    private ExitPolicy() {
    }

    public static Verdict judge(RunPolicy policy, ProcessOutcome outcome) {
        Settlement onFailure = policy.onFailure() == FailurePolicy.RETRY ? Settlement.NACK : Settlement.ACK;
        if (outcome.stoppedBy() == StopReason.SHUTDOWN) {
            return new Verdict(RunState.INTERRUPTED, Settlement.NACK,
                    "instance shutting down: the command was stopped and the tick handed back");
        }
        if (outcome.stoppedBy() == StopReason.CANCELLED) {
            return new Verdict(RunState.CANCELLED, Settlement.ACK, "cancelled by an operator");
        }
        if (outcome.startError() != null) {
            return new Verdict(RunState.ERROR, onFailure, outcome.startError());
        }
        if (outcome.stoppedBy() == StopReason.TIMEOUT) {
            return new Verdict(RunState.TIMED_OUT, onFailure, "ran past its timeout of " + policy.timeout()
                    + "; its process tree was terminated");
        }
        if (outcome.exitCode() == 0) {
            return new Verdict(RunState.SUCCEEDED, Settlement.ACK, null);
        }
        if (policy.retryExitCodes().contains(outcome.exitCode())) {
            return new Verdict(RunState.FAILED, Settlement.NACK, "exit code " + outcome.exitCode()
                    + " is in retry-exit-codes: tick handed back for redelivery");
        }
        return new Verdict(RunState.FAILED, onFailure, null);
    }
}
