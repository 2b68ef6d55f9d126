package io.cronexecutor.pubsub.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * How an embedded broker is built: where it keeps messages (nowhere, or a directory that survives
 * restarts), its clocks (a seam so retention, backoff and lease rules are tested without sleeping),
 * and the most message bytes it retains before publishers get RESOURCE_EXHAUSTED.
 *
 * @param dataDir           directory of the durable store; {@code null} keeps everything in memory
 * @param wallClock         publish times and retention
 * @param nanoClock         leases and backoff
 * @param maxRetainedBytes  bound on the bytes of unacked messages over all subscriptions
 */
public record BrokerOptions(Path dataDir, Clock wallClock, NanoClock nanoClock, long maxRetainedBytes) {

    /** Enough for millions of ticks, small enough that a runaway publisher cannot fill the heap. */
    public static final long DEFAULT_MAX_RETAINED_BYTES = 256L * 1024 * 1024;

    public BrokerOptions {
        if (maxRetainedBytes <= 0) {
            throw new IllegalArgumentException("maxRetainedBytes must be positive, was " + maxRetainedBytes);
        }
    }

    public static BrokerOptions inMemory() {
        return new BrokerOptions(null, Clock.systemUTC(), NanoClock.SYSTEM, DEFAULT_MAX_RETAINED_BYTES);
    }

    public static BrokerOptions durable(Path dataDir) {
        return inMemory().withDataDir(dataDir);
    }

    public BrokerOptions withDataDir(Path dir) {
        return new BrokerOptions(dir, wallClock, nanoClock, maxRetainedBytes);
    }

    public BrokerOptions withClocks(Clock wall, NanoClock nanos) {
        return new BrokerOptions(dataDir, wall, nanos, maxRetainedBytes);
    }

    public BrokerOptions withMaxRetainedBytes(long bytes) {
        return new BrokerOptions(dataDir, wallClock, nanoClock, bytes);
    }

    public Optional<Path> durableDir() {
        return Optional.ofNullable(dataDir);
    }
}
