package io.cronexecutor.bench;

import com.google.api.core.ApiFuture;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Subscription;
import io.cronexecutor.pubsub.embedded.BrokerOptions;
import io.cronexecutor.pubsub.embedded.EmbeddedPubSubServer;
import io.cronexecutor.pubsub.embedded.OfficialEmulator;
import io.cronexecutor.pubsub.embedded.TestClients;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Publish-to-receive latency and throughput through the real google-cloud-pubsub Publisher and
 * Subscriber (default settings), for the embedded broker (in memory and durable) and the official
 * emulator, side by side in one run.
 */
public final class BrokerBenchmark {

    static final int WARM_UP = 1000;
    static final int LATENCY_MESSAGES = 1000;
    static final int THROUGHPUT_MESSAGES = 10_000;

    /** One broker's figures; empty when the broker is not available on this machine. */
    record Result(String broker, Optional<Figures> figures) {
    }

    record Figures(double p50Millis, double p99Millis, double maxMillis, double messagesPerSecond) {
    }

    /** A broker to measure: its endpoint, and how to stop it. */
    private interface Endpoint extends AutoCloseable {
        String hostPort();

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    public static List<Result> run(PrintStream out) throws Exception {
        out.println("Broker benchmark: " + Runtime.getRuntime().availableProcessors() + " processors, Java "
                + System.getProperty("java.version") + "; " + LATENCY_MESSAGES + " messages one at a time for latency, "
                + THROUGHPUT_MESSAGES + " as fast as the Publisher sends them for throughput");
        Path dataDir = Files.createTempDirectory("broker-bench");
        List<Result> results = new ArrayList<>();
        try {
            results.add(measure("embedded, in memory", () -> embedded(BrokerOptions.inMemory()), out));
            results.add(measure("embedded, durable", () -> embedded(BrokerOptions.durable(dataDir)), out));
            Optional<Path> jar = OfficialEmulator.jar();
            if (jar.isPresent()) {
                results.add(measure("official emulator", () -> emulator(jar.get()), out));
            } else {
                out.println("official emulator: not installed under /usr/lib/google-cloud-sdk, column n/a");
                results.add(new Result("official emulator", Optional.empty()));
            }
        } finally {
            deleteRecursively(dataDir);
        }
        out.println();
        out.println(table(results));
        return results;
    }

    private static Endpoint embedded(BrokerOptions options) {
        EmbeddedPubSubServer server = EmbeddedPubSubServer.start("127.0.0.1", 0, EmbeddedPubSubServer.daemonThreads(), options);
        return new Endpoint() {
            public String hostPort() {
                return "127.0.0.1:" + server.port();
            }

            public void close() {
                server.close();
            }
        };
    }

    private static Endpoint emulator(Path jar) {
        OfficialEmulator emulator = OfficialEmulator.start(jar);
        return new Endpoint() {
            public String hostPort() {
                return emulator.hostPort();
            }

            public void close() {
                emulator.close();
            }
        };
    }

    private static Result measure(String name, Supplier<Endpoint> starter, PrintStream out) throws Exception {
        out.println("measuring " + name + " ...");
        try (Endpoint endpoint = starter.get(); TestClients clients = new TestClients(endpoint.hostPort())) {
            clients.topics().createTopic(TestClients.topic("bench"));
            clients.subscriptions().createSubscription(Subscription.newBuilder()
                    .setName(TestClients.subscription("bench-sub").toString())
                    .setTopic(TestClients.topic("bench").toString())
                    .setAckDeadlineSeconds(60)
                    .build());
            ConcurrentHashMap<Long, Long> receivedAt = new ConcurrentHashMap<>();
            CountDownLatch[] expected = {new CountDownLatch(0)};
            Subscriber subscriber = clients.subscriber("bench-sub", (message, reply) -> {
                receivedAt.putIfAbsent(Long.parseLong(message.getAttributesOrThrow("seq")), System.nanoTime());
                reply.ack();
                expected[0].countDown();
            }).setFlowControlSettings(FlowControlSettings.newBuilder().setMaxOutstandingElementCount(1000L).build()).build();
            subscriber.startAsync().awaitRunning();
            Publisher publisher = clients.publisher("bench").build();
            try {
                long seq = 0;
                // Warm-up: JIT and connections, not counted.
                seq = oneAtATime(publisher, receivedAt, expected, seq, WARM_UP, null);
                long[] latencies = new long[LATENCY_MESSAGES];
                seq = oneAtATime(publisher, receivedAt, expected, seq, LATENCY_MESSAGES, latencies);

                expected[0] = new CountDownLatch(THROUGHPUT_MESSAGES);
                long start = System.nanoTime();
                List<ApiFuture<String>> futures = new ArrayList<>(THROUGHPUT_MESSAGES);
                for (int i = 0; i < THROUGHPUT_MESSAGES; i++) {
                    futures.add(publisher.publish(message(seq++)));
                }
                for (ApiFuture<String> future : futures) {
                    future.get(60, TimeUnit.SECONDS);
                }
                if (!expected[0].await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + ": only " + (THROUGHPUT_MESSAGES - expected[0].getCount())
                            + " of " + THROUGHPUT_MESSAGES + " messages arrived");
                }
                double seconds = (System.nanoTime() - start) / 1e9;

                Arrays.sort(latencies);
                Figures figures = new Figures(millis(latencies[LATENCY_MESSAGES / 2]),
                        millis(latencies[(int) Math.ceil(LATENCY_MESSAGES * 0.99) - 1]),
                        millis(latencies[LATENCY_MESSAGES - 1]), THROUGHPUT_MESSAGES / seconds);
                out.printf("  %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f msg/s%n", name,
                        figures.p50Millis(), figures.p99Millis(), figures.maxMillis(), figures.messagesPerSecond());
                return new Result(name, Optional.of(figures));
            } finally {
                publisher.shutdown();
                publisher.awaitTermination(10, TimeUnit.SECONDS);
                subscriber.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Publishes {@code count} messages, each after the previous one arrived; records latencies if asked. */
    private static long oneAtATime(Publisher publisher, ConcurrentHashMap<Long, Long> receivedAt,
                                   CountDownLatch[] expected, long seq, int count, long[] latencies) throws Exception {
        for (int i = 0; i < count; i++) {
            expected[0] = new CountDownLatch(1);
            long id = seq++;
            long sent = System.nanoTime();
            publisher.publish(message(id));
            if (!expected[0].await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("message " + id + " did not arrive within 30 s");
            }
            if (latencies != null) {
                latencies[i] = receivedAt.get(id) - sent;
            }
        }
        return seq;
    }

    private static PubsubMessage message(long seq) {
        return PubsubMessage.newBuilder()
                .setData(ByteString.copyFromUtf8("{\"job\":\"bench\",\"tick\":" + seq + "}"))
                .putAttributes("seq", Long.toString(seq))
                .build();
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** The Markdown table README's Performance section shows. */
    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder("| through the real Java client |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Result result : results) {
            out.append(' ').append(result.broker()).append(" |");
            rule.append("---:|");
        }
        out.append('\n').append(rule).append('\n');
        row(out, "publish-to-receive p50 (ms)", results, f -> String.format("%.2f", f.p50Millis()));
        row(out, "publish-to-receive p99 (ms)", results, f -> String.format("%.2f", f.p99Millis()));
        row(out, "publish-to-receive max (ms)", results, f -> String.format("%.2f", f.maxMillis()));
        row(out, "messages per second", results, f -> String.format("%.0f", f.messagesPerSecond()));
        return out.toString();
    }

    private static void row(StringBuilder out, String label, List<Result> results,
                            java.util.function.Function<Figures, String> cell) {
        out.append("| ").append(label).append(" |");
        for (Result result : results) {
            out.append(' ').append(result.figures().map(cell).orElse("n/a")).append(" |");
        }
        out.append('\n');
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BrokerBenchmark() {
    }
}
