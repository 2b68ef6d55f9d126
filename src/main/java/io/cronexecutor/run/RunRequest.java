package io.cronexecutor.run;

import java.time.Duration;

/**
 * One command to run, with the limits it runs under.
 *
 * @param job         the job's name, for log labels
 * @param runId       the run's id, for log labels
 * @param launch      what to start
 * @param stdinData   the tick's data, given to the command on standard input
 * @param timeout     when to stop it
 * @param killGrace   how long SIGTERM has before SIGKILL
 * @param outputLimit characters of output kept
 */
public record RunRequest(String job, String runId, LaunchSpec launch, byte[] stdinData, Duration timeout,
                         Duration killGrace, int outputLimit) {
}
