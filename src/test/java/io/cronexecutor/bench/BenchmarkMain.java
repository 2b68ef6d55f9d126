package io.cronexecutor.bench;

import java.util.Set;

/**
 * Runs every benchmark of the project, one after another; {@code mvn -Pbench -DskipTests verify} calls it.
 * {@code -Dbench.only=engine,footprint} (any of broker, engine, footprint) runs a subset while
 * working on one figure.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> only = Set.of(System.getProperty("bench.only", "broker,engine,footprint").split(","));
        if (only.contains("broker")) {
            BrokerBenchmark.run(System.out);
        }
        if (only.contains("engine")) {
            EngineBenchmark.run(System.out);
        }
        if (only.contains("footprint")) {
            FootprintBenchmark.run(System.out);
        }
    }
}
