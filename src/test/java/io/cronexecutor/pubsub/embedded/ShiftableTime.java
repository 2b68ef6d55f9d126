package io.cronexecutor.pubsub.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real time plus an offset a test can move forward: the real client keeps working on real time
 * while the broker's leases, backoffs and retention see days pass in an instant.
 */
final class ShiftableTime extends Clock implements NanoClock {

    private final AtomicLong offsetNanos = new AtomicLong();

    void advance(Duration duration) {
        offsetNanos.addAndGet(duration.toNanos());
    }

    @Override
    public long nanoTime() {
        return System.nanoTime() + offsetNanos.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plusNanos(offsetNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the broker reads time in UTC only");
    }
}
