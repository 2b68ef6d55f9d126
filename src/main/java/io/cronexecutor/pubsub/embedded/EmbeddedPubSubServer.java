package io.cronexecutor.pubsub.embedded;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A server speaking the Pub/Sub v1 gRPC API on a loopback port, so the real google-cloud-pubsub
 * client works against it unchanged. Used in embedded mode and by every test.
 */
public final class EmbeddedPubSubServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPubSubServer.class.getName());
    private static final long SWEEP_MILLIS = 100;

    private final Broker broker;
    private final Server server;
    private final EmbeddedSubscriberService subscriberService;
    private final ScheduledExecutorService sweeper;
    private final ExecutorService handlers;

    private EmbeddedPubSubServer(Broker broker, Server server, EmbeddedSubscriberService subscriberService,
                                 ScheduledExecutorService sweeper, ExecutorService handlers) {
        this.broker = broker;
        this.server = server;
        this.subscriberService = subscriberService;
        this.sweeper = sweeper;
        this.handlers = handlers;
    }

    /**
     * Starts an in-memory broker on {@code host:port} (port 0 picks a free one).
     *
     * @param threads where the broker's own threads come from (a container's managed factory in Liberty)
     */
    public static EmbeddedPubSubServer start(String host, int port, ThreadFactory threads) {
        return start(host, port, threads, BrokerOptions.inMemory());
    }

    /**
     * Starts a broker that keeps topics, subscriptions and unacked messages in {@code dataDir}
     * across restarts; a {@code null} directory keeps them in memory only.
     */
    public static EmbeddedPubSubServer start(String host, int port, ThreadFactory threads, Path dataDir) {
        return start(host, port, threads, BrokerOptions.inMemory().withDataDir(dataDir));
    }

    public static EmbeddedPubSubServer start(String host, int port, ThreadFactory threads, BrokerOptions options) {
        Broker broker = new Broker(options);
        EmbeddedSubscriberService subscriberService = new EmbeddedSubscriberService(broker);
        // Handlers never block, so a small fixed pool serves any number of streams.
        ExecutorService handlers = Executors.newFixedThreadPool(2, threads);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(new EmbeddedPublisherService(broker))
                .addService(subscriberService)
                .executor(handlers)
                .maxInboundMessageSize(20 * 1024 * 1024)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            handlers.shutdownNow();
            broker.close();
            throw new UncheckedIOException("embedded Pub/Sub broker cannot listen on " + host + ":" + port, e);
        }
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(threads);
        sweeper.scheduleWithFixedDelay(broker::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info(() -> "Embedded Pub/Sub broker listening on " + host + ":" + server.getPort()
                + options.durableDir().map(dir -> ", messages kept in " + dir.toAbsolutePath()).orElse(", messages in memory only"));
        return new EmbeddedPubSubServer(broker, server, subscriberService, sweeper, handlers);
    }

    /**
     * Plain daemon threads: the broker is infrastructure with no need for an application's
     * context, and must keep serving while the application that embeds it starts and stops.
     */
    public static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "pubsub-broker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public int port() {
        return server.getPort();
    }

    public Broker broker() {
        return broker;
    }

    @Override
    public void close() {
        subscriberService.closeStreams();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        sweeper.shutdownNow();
        handlers.shutdownNow();
        try {
            sweeper.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
    }

    /** Runs a standalone broker, so several executors on one machine can share it. */
    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 8085;
        BrokerOptions options = BrokerOptions.inMemory();
        for (String arg : args) {
            if (arg.startsWith("--host=")) {
                host = arg.substring("--host=".length());
            } else if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--data-dir=")) {
                options = options.withDataDir(Path.of(arg.substring("--data-dir=".length())));
            } else if (arg.startsWith("--max-retained-bytes=")) {
                options = options.withMaxRetainedBytes(Long.parseLong(arg.substring("--max-retained-bytes=".length())));
            } else {
                System.err.println("usage: EmbeddedPubSubServer [--host=127.0.0.1] [--port=8085]"
                        + " [--data-dir=DIR (default: in memory only)] [--max-retained-bytes=" + BrokerOptions.DEFAULT_MAX_RETAINED_BYTES + "]");
                System.exit(2);
            }
        }
        EmbeddedPubSubServer server = start(host, port, daemonThreads(), options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("listening on " + host + ":" + server.port()
                + (options.dataDir() == null ? " (in memory)" : " (data in " + options.dataDir().toAbsolutePath() + ")"));
        server.server.awaitTermination();
    }
}
