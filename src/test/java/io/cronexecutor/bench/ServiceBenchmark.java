package io.cronexecutor.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.pubsub.embedded.SubscriptionStats;
import io.cronexecutor.run.RunState;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.LibertyServerProcess;
import io.cronexecutor.testing.TestJobs;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The deployed service, a real Liberty server running the WAR, pointed at a broker in this JVM as
 * it would be at an emulator or at Cloud Pub/Sub. The broker's counters then prove what crossed
 * the wire (renewals, redeliveries, acks), and the server process's own CPU time is the service's
 * alone: neither the broker's nor this benchmark's (nor Maven's) is in it.
 */
public final class ServiceBenchmark {

    private static final String LATENCY = "latency";
    private static final String THROUGHPUT = "throughput";
    private static final String LEASE = "lease";

    /** Kernel clock ticks per second, the unit of utime and stime in /proc/[pid]/stat on Linux. */
    private static final double CLOCK_TICKS = 100.0;
    /** Longer than any run here, the lease command included: a run that takes longer is a fault. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);

    private ServiceBenchmark() {
    }

    /** What the service did with one long command under a short ack deadline. */
    record LeaseCost(Duration command, Duration ackDeadline, String state, SubscriptionStats stats,
                     double cpuSecondsHolding, double idleCpuSecondsPerMinute) {

        @Override
        public String toString() {
            return String.format("%s run of `sleep %d` under a %d s ack deadline: %d redeliveries, %d ModifyAckDeadline"
                            + " extensions, %d ack; the server's CPU while it ran %.2f s (%.2f s a minute; idle %.2f s a minute)",
                    state, command.toSeconds(), ackDeadline.toSeconds(), stats.redeliveries(), stats.deadlineRenewals(),
                    stats.acks(), cpuSecondsHolding, cpuSecondsHolding / (command.toSeconds() / 60.0), idleCpuSecondsPerMinute);
        }
    }

    record Figures(EngineBenchmark.Stats latency, EngineBenchmark.Comparison throughput, LeaseCost lease) {
    }

    static Figures measure(PrintStream out, Duration leaseFor, Duration idleFor) throws Exception {
        JobDefinition latency = TestJobs.job(LATENCY, "date", "+%s%N");
        JobDefinition throughput = TestJobs.job(THROUGHPUT, "/bin/true");
        Duration ackDeadline = Duration.ofSeconds(10);
        JobDefinition lease = TestJobs.job(LEASE, ackDeadline, "sleep", Long.toString(leaseFor.toSeconds()));
        try (BrokerFixture broker = new BrokerFixture()) {
            Map<String, String> env = LibertyServerProcess.jobsEnv(LATENCY + "," + THROUGHPUT + "," + LEASE,
                    LATENCY, "command", "date +%s%N",
                    THROUGHPUT, "command", "/bin/true",
                    THROUGHPUT, "max-concurrent", Integer.toString(EngineBenchmark.CONCURRENCY),
                    THROUGHPUT, "overlap", "queue",
                    LEASE, "command", "sleep " + leaseFor.toSeconds(),
                    LEASE, "ack-deadline", ackDeadline.toSeconds() + "s");
            // The same topics and subscriptions as the in-process jobs, so this JVM can publish to them.
            for (JobDefinition job : List.of(latency, throughput, lease)) {
                String key = "JOBS_" + job.name().toUpperCase();
                env.put(key + "_TOPIC", job.topic());
                env.put(key + "_SUBSCRIPTION", job.subscription());
            }
            env.put("PUBSUB_EMULATOR_HOST", broker.endpoint());
            env.put("CRON_PUBSUB_PROJECT", BrokerFixture.PROJECT);
            try (LibertyServerProcess server = LibertyServerProcess.start("service-bench", env, true);
                 TickPublisher publisher = new TickPublisher(broker.clients())) {
                server.awaitStatus("/health/ready", 200, Duration.ofMinutes(3));
                out.println("measuring dispatch latency on Liberty ...");
                EngineBenchmark.Stats latencyStats = dispatchLatency(server, publisher, latency, EngineBenchmark.LATENCY_TICKS);
                EngineBenchmark.Comparison runsPerSecond = EngineBenchmark.Comparison.empty();
                for (int round = 1; round <= EngineBenchmark.rounds(); round++) {
                    out.println("measuring throughput on Liberty, round " + round + " of " + EngineBenchmark.rounds() + " ...");
                    double bare = EngineBenchmark.bareSpawnThroughput(EngineBenchmark.THROUGHPUT_TICKS);
                    runsPerSecond.add(bare, throughput(server, broker, publisher, throughput, EngineBenchmark.THROUGHPUT_TICKS));
                }
                out.println("measuring lease cost on Liberty (" + idleFor.toSeconds() + " s idle, then "
                        + leaseFor.toSeconds() + " s holding a lease) ...");
                LeaseCost cost = leaseCost(server, broker, publisher, lease, leaseFor, ackDeadline, idleFor);
                return new Figures(latencyStats, runsPerSecond, cost);
            }
        }
    }

    /** Publish to command start, as {@link EngineBenchmark#dispatchLatency}, with the command run by the server. */
    static EngineBenchmark.Stats dispatchLatency(LibertyServerProcess server, TickPublisher publisher, JobDefinition job,
                                                 int ticks) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < ticks + 20; i++) {
            long publishedAt = EngineBenchmark.epochNanos();
            String runId = publisher.publish(job, "manual", Map.of()).tickId();
            JsonObject run = awaitFinal(server, job, runId);
            if (!run.get("state").getAsString().equals(RunState.SUCCEEDED.name())) {
                throw new IllegalStateException("latency run did not succeed: " + run);
            }
            if (i >= 20) { // the first ticks warm up the JIT and the channels
                long started = Long.parseLong(run.get("output").getAsString().trim());
                millis.add((started - publishedAt) / 1e6);
            }
        }
        return EngineBenchmark.Stats.of(millis);
    }

    /**
     * Runs per second with a backlog: the job is paused while the ticks are published, then
     * resumed, and the clock runs from the resume until the broker has counted every ack.
     */
    static double throughput(LibertyServerProcess server, BrokerFixture broker, TickPublisher publisher,
                             JobDefinition job, int ticks) throws Exception {
        long ackedBefore = broker.stats(job.subscription()).acks();
        expect(server.post("/jobs/" + job.name() + "/pause"), 200);
        for (int i = 0; i < ticks; i++) {
            publisher.publish(job, "manual", Map.of());
        }
        long started = System.nanoTime();
        expect(server.post("/jobs/" + job.name() + "/resume"), 200);
        long target = ackedBefore + ticks;
        SubscriptionStats stats = broker.awaitStats(job.subscription(), Duration.ofMinutes(5), s -> s.acks() >= target);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (stats.acks() < target) {
            throw new IllegalStateException("only " + (stats.acks() - ackedBefore) + " of " + ticks + " ticks were acked: " + stats);
        }
        return ticks / seconds;
    }

    static LeaseCost leaseCost(LibertyServerProcess server, BrokerFixture broker, TickPublisher publisher,
                               JobDefinition job, Duration command, Duration ackDeadline, Duration idleFor) throws Exception {
        double idleBefore = cpuSeconds(server.pid());
        Thread.sleep(idleFor.toMillis());
        double idlePerMinute = (cpuSeconds(server.pid()) - idleBefore) / (idleFor.toMillis() / 60_000.0);

        String runId = publisher.publish(job, "manual", Map.of()).tickId();
        awaitRunning(server, job, runId);
        double before = cpuSeconds(server.pid());
        // Polled once a second: the server's CPU is measured meanwhile, and must not be this benchmark's requests.
        JsonObject run = awaitFinal(server, job, runId, Duration.ofSeconds(1));
        double holding = cpuSeconds(server.pid()) - before;
        Thread.sleep(ackDeadline.toMillis() + 2000); // a lapsed lease would show as a redelivery by now
        return new LeaseCost(command, ackDeadline, run.get("state").getAsString(), broker.stats(job.subscription()),
                holding, idlePerMinute);
    }

    /** User plus system CPU time of a process, from /proc/[pid]/stat (fields 14 and 15). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces; the fields after it start past its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
    }

    private static JsonObject awaitFinal(LibertyServerProcess server, JobDefinition job, String runId) throws Exception {
        return awaitFinal(server, job, runId, Duration.ofMillis(2));
    }

    private static JsonObject awaitFinal(LibertyServerProcess server, JobDefinition job, String runId, Duration poll)
            throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject run = runOrNull(server, job, runId);
            if (run != null && RunState.valueOf(run.get("state").getAsString()).isFinal()) {
                return run;
            }
            Thread.sleep(poll.toMillis());
        }
        throw new IllegalStateException("run " + runId + " of " + job.name() + " did not end within " + RUN_TIMEOUT);
    }

    private static void awaitRunning(LibertyServerProcess server, JobDefinition job, String runId) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject run = runOrNull(server, job, runId);
            RunState state = run == null ? null : RunState.valueOf(run.get("state").getAsString());
            if (state == RunState.RUNNING) {
                return;
            }
            if (state != null && state.isFinal()) {
                throw new IllegalStateException("run " + runId + " of " + job.name() + " ended before it was seen running: " + run);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("run " + runId + " of " + job.name() + " did not start within " + RUN_TIMEOUT);
    }

    private static JsonObject runOrNull(LibertyServerProcess server, JobDefinition job, String runId) throws IOException {
        HttpResponse<String> response = server.get("/jobs/" + job.name() + "/runs/" + runId);
        return response.statusCode() == 200 ? JsonParser.parseString(response.body()).getAsJsonObject() : null;
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.statusCode() + ": " + response.body());
        }
    }
}
