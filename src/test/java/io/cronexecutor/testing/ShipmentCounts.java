package io.cronexecutor.testing;

import io.cronexecutor.logging.LogShipper;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts what a log shipper reports written and dropped. */
public final class ShipmentCounts implements LogShipper.Listener {

    public final AtomicInteger written = new AtomicInteger();
    public final AtomicInteger dropped = new AtomicInteger();

    @Override
    public void written(int entries) {
        written.addAndGet(entries);
    }

    @Override
    public void dropped(int entries) {
        dropped.addAndGet(entries);
    }
}
