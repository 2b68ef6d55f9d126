package io.cronexecutor.testing;

import io.cronexecutor.pubsub.embedded.BrokerOptions;
import io.cronexecutor.pubsub.embedded.NanoClock;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.cronexecutor.pubsub.PubSubClients;
import io.cronexecutor.pubsub.embedded.EmbeddedPubSubServer;
import io.cronexecutor.pubsub.embedded.SubscriptionStats;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/** An embedded broker on a free loopback port, with real clients connected to it over gRPC. */
public final class BrokerFixture implements AutoCloseable {

    public static final String PROJECT = "test-project";

    private final EmbeddedPubSubServer broker;
    private final ScheduledExecutorService executor;
    private final PubSubClients clients;
    private final AtomicLong skipped = new AtomicLong();

    public BrokerFixture() {
        // The broker's lease clock runs with real time, plus whatever a test skips ahead.
        NanoClock clock = () -> System.nanoTime() + skipped.get();
        broker = EmbeddedPubSubServer.start("127.0.0.1", 0, EmbeddedPubSubServer.daemonThreads(),
                new BrokerOptions(null, Clock.systemUTC(), clock, BrokerOptions.DEFAULT_MAX_RETAINED_BYTES));
        executor = Executors.newScheduledThreadPool(4);
        clients = PubSubClients.local(PROJECT, endpoint(), executor);
    }

    public String endpoint() {
        return "127.0.0.1:" + broker.port();
    }

    public PubSubClients clients() {
        return clients;
    }

    public ScheduledExecutorService executor() {
        return executor;
    }

    public EmbeddedPubSubServer broker() {
        return broker;
    }

    /** Moves the broker's lease clock ahead, as if the subscribers had been silent that long: leases lapse. */
    public void skipAhead(Duration duration) {
        skipped.addAndGet(duration.toNanos());
    }

    public SubscriptionStats stats(String subscriptionId) {
        return broker.broker().stats(clients.subscription(subscriptionId).toString());
    }

    /** Polls the subscription's counters until the condition holds or the timeout passes; returns the last reading. */
    public SubscriptionStats awaitStats(String subscriptionId, Duration timeout, Predicate<SubscriptionStats> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SubscriptionStats stats = stats(subscriptionId);
        while (!condition.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            stats = stats(subscriptionId);
        }
        return stats;
    }

    @Override
    public void close() {
        clients.close();
        executor.shutdownNow();
        broker.close();
    }
}
