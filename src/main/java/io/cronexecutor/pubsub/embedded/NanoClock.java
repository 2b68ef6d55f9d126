package io.cronexecutor.pubsub.embedded;

/** Monotonic time for lease deadlines; a seam so lease expiry is tested without sleeping. */
@FunctionalInterface
public interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
