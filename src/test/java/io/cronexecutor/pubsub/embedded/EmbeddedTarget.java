package io.cronexecutor.pubsub.embedded;

import java.nio.file.Path;
import java.time.Duration;

/** The embedded broker on a clock the tests can move. */
final class EmbeddedTarget implements PubSubTarget {

    private final ShiftableTime time = new ShiftableTime();
    private final EmbeddedPubSubServer server;

    EmbeddedTarget(Path dataDir) {
        server = EmbeddedPubSubServer.start("127.0.0.1", 0, EmbeddedPubSubServer.daemonThreads(),
                BrokerOptions.inMemory().withDataDir(dataDir).withClocks(time, time));
    }

    EmbeddedPubSubServer server() {
        return server;
    }

    @Override
    public String name() {
        return "embedded broker";
    }

    @Override
    public String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    @Override
    public boolean embedded() {
        return true;
    }

    @Override
    public void letLeasesLapse(int ackDeadlineSeconds) {
        passTime(Duration.ofSeconds(ackDeadlineSeconds + 1));
    }

    @Override
    public void passTime(Duration duration) {
        time.advance(duration);
        server.broker().sweep();
    }

    /** Moves the clock and leaves the rest to the broker's own background sweeper. */
    void advanceClockOnly(Duration duration) {
        time.advance(duration);
    }

    @Override
    public void close() {
        server.close();
    }
}
