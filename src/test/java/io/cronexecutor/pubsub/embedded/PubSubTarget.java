package io.cronexecutor.pubsub.embedded;

import java.time.Duration;

/** A Pub/Sub endpoint the conformance suite runs against: the embedded broker or the official emulator. */
interface PubSubTarget extends AutoCloseable {

    String name();

    String hostPort();

    /** Whether this is the embedded broker, whose clock and bounds a test may drive. */
    boolean embedded();

    /** Lets every lease granted so far with this deadline lapse: by moving the broker's clock, or by waiting. */
    void letLeasesLapse(int ackDeadlineSeconds) throws InterruptedException;

    /** Moves the broker's clock; only the embedded broker can. */
    void passTime(Duration duration);

    @Override
    void close();
}
