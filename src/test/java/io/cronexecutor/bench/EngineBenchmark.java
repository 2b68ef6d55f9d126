package io.cronexecutor.bench;

import io.cronexecutor.ExecutorEngine;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.OverlapPolicy;
import io.cronexecutor.pubsub.PubSubClients;
import io.cronexecutor.pubsub.SubscriptionProvisioner;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.run.ProcessLauncher;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.run.SupervisedLauncher;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.TestJobs;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The executor end to end on the embedded broker: how soon a tick becomes a running command, how
 * many commands per second it sustains against what the machine can spawn at all, and what a
 * long lease costs.
 */
public final class EngineBenchmark {

    static final int LATENCY_TICKS = 500;
    static final int THROUGHPUT_TICKS = 2000;
    static final int CONCURRENCY = 4;

    private EngineBenchmark() {
    }

    /** Publish-to-start latency: the command is {@code date +%s%N}, so it records its own start. */
    static Stats dispatchLatency(PubSubClients clients, ExecutorServiceSupplier scheduler, int ticks) throws Exception {
        return dispatchLatency(clients, scheduler, ticks, TestJobs.job("latency", "date", "+%s%N"));
    }

    /** As above, for a given job whose command is {@code date +%s%N}. */
    static Stats dispatchLatency(PubSubClients clients, ExecutorServiceSupplier scheduler, int ticks, JobDefinition job)
            throws Exception {
        RunHistory history = new RunHistory(ticks + 10);
        ExecutorEngine engine = start(job, clients, scheduler, history);
        List<Double> millis = new ArrayList<>();
        try (TickPublisher publisher = new TickPublisher(clients)) {
            for (int i = 0; i < ticks + 20; i++) {
                long publishedAt = epochNanos();
                String runId = publisher.publish(job, "manual", Map.of()).tickId();
                RunRecord run = awaitFinal(history, job, runId);
                if (i >= 20) { // the first ticks warm up the JIT and the channel
                    long started = Long.parseLong(run.output().trim());
                    millis.add((started - publishedAt) / 1e6);
                }
            }
        } finally {
            engine.shutdown();
        }
        return Stats.of(millis);
    }

    /** Runs per second through the executor, 2,000 ticks of /bin/true at max-concurrent 4. */
    static double executorThroughput(PubSubClients clients, ExecutorServiceSupplier scheduler, int ticks,
                                     ProcessLauncher launcher) throws Exception {
        JobDefinition base = TestJobs.job("throughput-" + launcher.getClass().getSimpleName(), "/bin/true");
        return executorThroughput(clients, scheduler, ticks, launcher,
                base.withPolicy(base.policy().withConcurrency(CONCURRENCY, OverlapPolicy.QUEUE)));
    }

    static double executorThroughput(PubSubClients clients, ExecutorServiceSupplier scheduler, int ticks,
                                     ProcessLauncher launcher, JobDefinition job) throws Exception {
        // Counted as runs end rather than by polling the history, whose lock the dispatcher takes too.
        CountDownLatch succeeded = new CountDownLatch(ticks);
        RunHistory history = new RunHistory(ticks + 10, run -> {
            if (run.state() == RunState.SUCCEEDED) {
                succeeded.countDown();
            }
        });
        new SubscriptionProvisioner(clients).provision(List.of(job), "bench");
        try (TickPublisher publisher = new TickPublisher(clients)) {
            for (int i = 0; i < ticks; i++) {
                publisher.publish(job, "manual", Map.of());
            }
        }
        long started = System.nanoTime();
        ExecutorEngine engine = start(job, clients, scheduler, history, launcher);
        try {
            if (!succeeded.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(succeeded.getCount() + " of " + ticks + " runs did not succeed");
            }
            return ticks / ((System.nanoTime() - started) / 1e9);
        } finally {
            engine.shutdown();
        }
    }

    /** The same number of /bin/true spawns with ProcessBuilder at the same concurrency: the machine's limit. */
    static double bareSpawnThroughput(int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        AtomicInteger left = new AtomicInteger(total);
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < CONCURRENCY; t++) {
            workers.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    Process p = new ProcessBuilder("/bin/true").redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    p.waitFor();
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double rate = total / ((System.nanoTime() - started) / 1e9);
        pool.shutdown();
        return rate;
    }

    /** Supplies the executor the Pub/Sub clients and timers run on. */
    interface ExecutorServiceSupplier extends Supplier<java.util.concurrent.ScheduledExecutorService> {
    }

    private static ExecutorEngine start(JobDefinition job, PubSubClients clients, ExecutorServiceSupplier scheduler,
                                        RunHistory history) {
        return start(job, clients, scheduler, history, ProcessLauncher.detect());
    }

    private static ExecutorEngine start(JobDefinition job, PubSubClients clients, ExecutorServiceSupplier scheduler,
                                        RunHistory history, ProcessLauncher launcher) {
        return ExecutorEngine.start(List.of(job), clients, scheduler.get(), task -> new Thread(task).start(), history,
                new ExecutorEngine.Options("bench", Duration.ofSeconds(5), launcher, (j, r, l) -> { }));
    }

    private static RunRecord awaitFinal(RunHistory history, JobDefinition job, String runId) throws InterruptedException {
        while (true) {
            RunRecord run = history.find(job.name(), runId).orElse(null);
            if (run != null && run.state().isFinal()) {
                return run;
            }
            Thread.sleep(0, 200_000);
        }
    }

    static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** p50, p99 and max of a sample, in milliseconds. */
    record Stats(double p50, double p99, double max, int count) {
        static Stats of(List<Double> sample) {
            List<Double> sorted = new ArrayList<>(sample);
            Collections.sort(sorted);
            return new Stats(sorted.get((int) (sorted.size() * 0.50)), sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)),
                    sorted.get(sorted.size() - 1), sorted.size());
        }

        @Override
        public String toString() {
            return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", p50, p99, max, count);
        }
    }

    /**
     * Throughput against bare spawn, in rounds that alternate the two, so that a noisy neighbour
     * slows both sides of a ratio rather than one; the verdict is on the median round.
     */
    record Comparison(List<Double> bare, List<Double> measured) {
        static Comparison empty() {
            return new Comparison(new ArrayList<>(), new ArrayList<>());
        }

        void add(double bareRate, double measuredRate) {
            bare.add(bareRate);
            measured.add(measuredRate);
        }

        double medianRatio() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < bare.size(); i++) {
                ratios.add(measured.get(i) / bare.get(i));
            }
            Collections.sort(ratios);
            return ratios.get(ratios.size() / 2);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < bare.size(); i++) {
                text.append(i == 0 ? "" : "; ").append(String.format("%.0f vs %.0f/s", measured.get(i), bare.get(i)));
            }
            return text + String.format(", median ratio %.2f", medianRatio());
        }
    }

    static int rounds() {
        return Integer.getInteger("bench.rounds", 3);
    }

    public static void run(PrintStream out) throws Exception {
        out.println("Engine benchmark: " + Runtime.getRuntime().availableProcessors() + " processors, Java "
                + System.getProperty("java.version") + ", launcher " + ProcessLauncher.detect().getClass().getSimpleName());
        Stats embedded;
        Stats exactlyOnce;
        Comparison executor = Comparison.empty();
        Comparison viaSetsid = Comparison.empty();
        Comparison wideWindow = Comparison.empty();
        JobDefinition base = TestJobs.job("throughput-wide", "/bin/true");
        JobDefinition wide = base.withPolicy(base.policy().withConcurrency(CONCURRENCY, OverlapPolicy.QUEUE).withMaxQueued(1000));
        try (BrokerFixture fixture = new BrokerFixture()) {
            out.println("measuring dispatch latency on the embedded broker ...");
            embedded = dispatchLatency(fixture.clients(), fixture::executor, LATENCY_TICKS);
            out.println("measuring dispatch latency with exactly-once delivery ...");
            JobDefinition plain = TestJobs.job("latency-eod", "date", "+%s%N");
            exactlyOnce = dispatchLatency(fixture.clients(), fixture::executor, LATENCY_TICKS,
                    plain.withDelivery(plain.delivery().withExactlyOnce(true)));
            for (int round = 1; round <= rounds(); round++) {
                out.println("measuring throughput, round " + round + " of " + rounds() + " ...");
                double bare = bareSpawnThroughput(THROUGHPUT_TICKS);
                executor.add(bare, executorThroughput(fixture.clients(), fixture::executor, THROUGHPUT_TICKS, ProcessLauncher.detect()));
                viaSetsid.add(bare, executorThroughput(fixture.clients(), fixture::executor, THROUGHPUT_TICKS, new SupervisedLauncher()));
                wideWindow.add(bare, executorThroughput(fixture.clients(), fixture::executor, THROUGHPUT_TICKS,
                        ProcessLauncher.detect(), wide));
            }
        }
        String emulated = "n/a (official emulator not installed)";
        var jar = io.cronexecutor.pubsub.embedded.OfficialEmulator.jar();
        if (jar.isPresent()) {
            out.println("measuring dispatch latency on the official emulator ...");
            try (var emulator = io.cronexecutor.pubsub.embedded.OfficialEmulator.start(jar.get());
                 var scheduler = new ClosableScheduler()) {
                PubSubClients clients = PubSubClients.local(BrokerFixture.PROJECT, emulator.hostPort(), scheduler.executor);
                try {
                    emulated = dispatchLatency(clients, () -> scheduler.executor, LATENCY_TICKS).toString();
                } finally {
                    clients.close();
                }
            }
        }
        ServiceBenchmark.Figures service = ServiceBenchmark.measure(out,
                Duration.ofSeconds(Long.getLong("bench.lease.seconds", 300)), Duration.ofSeconds(60));
        out.println();
        out.println("| measure | figure | target |");
        out.println("|---|---|---|");
        out.printf("| dispatch latency, publish to command start, engine in this JVM, embedded broker | %s | p99 <= 50 ms: %s |%n",
                embedded, verdict(embedded.p99() <= 50));
        out.printf("| the same with exactly-once delivery (the client confirms the lease before handing the tick over) | %s | |%n",
                exactlyOnce);
        out.printf("| the same through the official emulator | %s | |%n", emulated);
        out.printf("| the same on the Liberty server (broker in this JVM) | %s | p99 <= 50 ms: %s |%n", service.latency(),
                verdict(service.latency().p99() <= 50));
        out.printf("| throughput, %d x /bin/true at max-concurrent %d, engine in this JVM, against a bare ProcessBuilder loop | %s | >= 0.80: %s |%n",
                THROUGHPUT_TICKS, CONCURRENCY, executor, verdict(executor.medianRatio() >= 0.8));
        out.printf("| the same with the setsid(1) fallback launcher | %s | |%n", viaSetsid);
        out.printf("| the same with max-queued 1000 (flow-control window not binding) | %s | |%n", wideWindow);
        out.printf("| the same on the Liberty server | %s | >= 0.80: %s |%n", service.throughput(),
                verdict(service.throughput().medianRatio() >= 0.8));
        out.printf("| lease cost on the Liberty server | %s | 0 redeliveries: %s |%n", service.lease(),
                verdict(service.lease().stats().redeliveries() == 0 && service.lease().state().equals("SUCCEEDED")));
        out.println();
    }

    static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }

    /** A scheduled executor that closes with try-with-resources. */
    private static final class ClosableScheduler implements AutoCloseable {
        final java.util.concurrent.ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    public static void main(String[] args) throws Exception {
        run(System.out);
    }
}
