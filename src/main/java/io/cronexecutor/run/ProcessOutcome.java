package io.cronexecutor.run;

/**
 * How a command ended.
 *
 * @param exitCode        its exit code (meaningless when {@code startError} is set)
 * @param output          the tail of its output
 * @param outputTruncated whether older output was dropped from the tail
 * @param startError      why it could not be started, or null
 * @param stoppedBy       why the executor stopped it, or null if it ended by itself
 */
public record ProcessOutcome(int exitCode, String output, boolean outputTruncated, String startError,
                             StopReason stoppedBy) {

    public static ProcessOutcome couldNotStart(String why) {
        return new ProcessOutcome(-1, "", false, why, null);
    }

    public static ProcessOutcome exited(int exitCode, String output) {
        return new ProcessOutcome(exitCode, output, false, null, null);
    }
}
