package io.cronexecutor.job;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How a job's runs are governed on one instance.
 *
 * @param timeout        how long a run may take before its process tree is terminated
 * @param killGrace      how long after SIGTERM before SIGKILL
 * @param outputLimit    characters of output kept per run (the tail)
 * @param retryExitCodes exit codes that hand the tick back for redelivery
 * @param onFailure      what other failures do with the tick
 * @param maxConcurrent  runs of this job at once on this instance
 * @param overlap        what a tick does when all slots are busy
 * @param maxQueued      ticks leased here beyond the running ones: the queue for {@code overlap=queue}, and the
 *                       client's flow-control headroom (acks reach the broker in 100 ms batches, so a job's
 *                       throughput is bounded by about ten times the ticks it may hold)
 * @param maxAge         ticks older than this on arrival are recorded MISSED instead of run
 */
public record RunPolicy(Duration timeout, Duration killGrace, int outputLimit, Set<Integer> retryExitCodes,
                        FailurePolicy onFailure, int maxConcurrent, OverlapPolicy overlap, int maxQueued,
                        Optional<Duration> maxAge) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);
    public static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;
    public static final Set<Integer> DEFAULT_RETRY_EXIT_CODES = Set.of(75); // EX_TEMPFAIL
    /**
     * Acks reach Pub/Sub up to 100 ms after the command ends, and until then the tick still counts
     * against the flow-control window, so the window has to hold about 100 ms of completions: with
     * 50 it capped /bin/true at about 535 runs a second on a 2-core VM that spawns 700 to 1,000.
     */
    public static final int DEFAULT_MAX_QUEUED = 100;

    public RunPolicy {
        retryExitCodes = Set.copyOf(retryExitCodes);
    }

    public static RunPolicy defaults() {
        return new RunPolicy(DEFAULT_TIMEOUT, DEFAULT_KILL_GRACE, DEFAULT_OUTPUT_LIMIT, DEFAULT_RETRY_EXIT_CODES,
                FailurePolicy.ACK, 1, OverlapPolicy.SKIP, DEFAULT_MAX_QUEUED, Optional.empty());
    }

    public RunPolicy withTimeout(Duration value) {
        return new RunPolicy(value, killGrace, outputLimit, retryExitCodes, onFailure, maxConcurrent, overlap, maxQueued, maxAge);
    }

    public RunPolicy withKillGrace(Duration value) {
        return new RunPolicy(timeout, value, outputLimit, retryExitCodes, onFailure, maxConcurrent, overlap, maxQueued, maxAge);
    }

    public RunPolicy withConcurrency(int max, OverlapPolicy policy) {
        return new RunPolicy(timeout, killGrace, outputLimit, retryExitCodes, onFailure, max, policy, maxQueued, maxAge);
    }

    public RunPolicy withMaxQueued(int value) {
        return new RunPolicy(timeout, killGrace, outputLimit, retryExitCodes, onFailure, maxConcurrent, overlap, value, maxAge);
    }

    public RunPolicy withOnFailure(FailurePolicy value) {
        return new RunPolicy(timeout, killGrace, outputLimit, retryExitCodes, value, maxConcurrent, overlap, maxQueued, maxAge);
    }

    public RunPolicy withMaxAge(Duration value) {
        return new RunPolicy(timeout, killGrace, outputLimit, retryExitCodes, onFailure, maxConcurrent, overlap, maxQueued, Optional.of(value));
    }
}
