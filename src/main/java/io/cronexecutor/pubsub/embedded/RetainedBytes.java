package io.cronexecutor.pubsub.embedded;

import io.grpc.Status;

import java.util.concurrent.atomic.AtomicLong;

/** The bytes of every unacked message copy the broker holds, against a bound publishers cannot pass. */
final class RetainedBytes {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    RetainedBytes(long max) {
        this.max = max;
    }

    /** Reserves room for a publish, or refuses it whole. */
    void reserve(long bytes) {
        long after = held.addAndGet(bytes);
        if (after > max && bytes > 0) {
            held.addAndGet(-bytes);
            throw Status.RESOURCE_EXHAUSTED
                    .withDescription("the embedded broker retains at most " + max + " bytes of unacked messages;"
                            + " acknowledge messages or raise the bound")
                    .asRuntimeException();
        }
    }

    /** Counts messages found in the store at start-up, even past the bound, so none is lost. */
    void restore(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
