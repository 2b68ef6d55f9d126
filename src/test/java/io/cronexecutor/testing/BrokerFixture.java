package io.cronexecutor.testing;

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

    public BrokerFixture() {
        broker = EmbeddedPubSubServer.start("127.0.0.1", 0, EmbeddedPubSubServer.daemonThreads());
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
