package io.cronexecutor.bench;

/** Runs every benchmark of the project, one after another; {@code mvn -Pbench -DskipTests verify} calls it. */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        BrokerBenchmark.run(System.out);
        EngineBenchmark.run(System.out);
        FootprintBenchmark.run(System.out);
    }
}
