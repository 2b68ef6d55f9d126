package io.cronexecutor.bench;

import io.cronexecutor.testing.LibertyServerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The real Liberty server with 1, 100 and 1,000 jobs: live threads and heap once ready, and the
 * time from process start until {@code /health/ready} is UP, on a first start (features resolved
 * from scratch) and on a restart of the same server directory, as on a rebooted VM.
 */
public final class FootprintBenchmark {

    static final int[] JOB_COUNTS = {1, 100, 1000};

    private FootprintBenchmark() {
    }

    /** One server's figures. */
    record Footprint(int jobs, double coldReadySeconds, double warmReadySeconds, long threads, double heapMb) {
    }

    static Footprint measure(int jobs) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        StringJoiner names = new StringJoiner(",");
        for (int i = 1; i <= jobs; i++) {
            names.add("job" + i);
            env.put("JOBS_JOB" + i + "_COMMAND", "true");
        }
        env.put("JOBS", names.toString());
        String id = "footprint-" + jobs;
        double cold = readySeconds(id, env, true, null);
        long[] threads = new long[1];
        double[] heap = new double[1];
        double warm = readySeconds(id, env, false, server -> {
            Thread.sleep(10_000); // let start-up work settle before reading the steady state
            threads[0] = Files.list(Path.of("/proc", Long.toString(server.pid()), "task")).count();
            heap[0] = metric(server.get("/metrics?scope=base").body(), "memory_usedHeap_bytes") / (1024 * 1024);
        });
        return new Footprint(jobs, cold, warm, threads[0], heap[0]);
    }

    interface WhileReady {
        void accept(LibertyServerProcess server) throws IOException, InterruptedException;
    }

    private static double readySeconds(String id, Map<String, String> env, boolean fresh, WhileReady then)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        try (LibertyServerProcess server = LibertyServerProcess.start(id, env, fresh)) {
            server.awaitStatus("/health/ready", 200, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - started) / 1e9;
            if (then != null) {
                then.accept(server);
            }
            return seconds;
        }
    }

    private static double metric(String prometheus, String name) {
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(name)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    public static List<Footprint> run(PrintStream out) throws Exception {
        List<Footprint> all = new ArrayList<>();
        for (int jobs : JOB_COUNTS) {
            out.println("measuring footprint with " + jobs + " job(s) ...");
            all.add(measure(jobs));
        }
        out.println();
        out.println("| jobs | ready, first start (s) | ready, restart (s) | live threads | heap used (MB) |");
        out.println("|---:|---:|---:|---:|---:|");
        for (Footprint f : all) {
            out.printf("| %d | %.1f | %.1f | %d | %.0f |%n", f.jobs(), f.coldReadySeconds(), f.warmReadySeconds(),
                    f.threads(), f.heapMb());
        }
        Footprint one = all.get(0);
        Footprint most = all.get(all.size() - 1);
        out.println();
        out.printf("threads with %d jobs <= 2 x threads with 1 job + 50 (%d <= %d): %s%n", most.jobs(), most.threads(),
                2 * one.threads() + 50, EngineBenchmark.verdict(most.threads() <= 2 * one.threads() + 50));
        for (Footprint f : all) {
            out.printf("ready within 15 s with %d job(s): restart %.1f s %s, first start %.1f s %s%n", f.jobs(),
                    f.warmReadySeconds(), EngineBenchmark.verdict(f.warmReadySeconds() <= 15),
                    f.coldReadySeconds(), EngineBenchmark.verdict(f.coldReadySeconds() <= 15));
        }
        return all;
    }
}
