package io.cronexecutor.run;

/**
 * How a command ended.
 *
 * @param exitCode        its exit code (meaningless when {@code startError} is set)
 * @param output          the tail of its output
 * @param outputTruncated whether older output was dropped from the tail
 * @param startError      why it could not be started, or null
 */
public record ProcessOutcome(int exitCode, String output, boolean outputTruncated, String startError) {

    public static ProcessOutcome couldNotStart(String why) {
        return new ProcessOutcome(-1, "", false, why);
    }
}
