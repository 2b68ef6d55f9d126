package io.cronexecutor.pubsub.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Time that moves only when a test says so, as both the broker's wall clock and its monotonic clock. */
final class ManualTime extends Clock implements NanoClock {

    private Instant now = Instant.parse("2026-12-03T12:00:00Z");
    private long nanos = 1_000_000_000L;

    void advance(Duration duration) {
        now = now.plus(duration);
        nanos += duration.toNanos();
    }

    void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
