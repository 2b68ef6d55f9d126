package io.cronexecutor.testing;

import io.cronexecutor.ExecutorEngine;
import io.cronexecutor.job.CommandSpec;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.PubSubClients;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.ProcessLauncher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A fleet member in a JVM of its own, for tests that kill it: runs one job from a broker at
 * {@code args[0]}, job name {@code args[1]}, instance label {@code args[2]} (exported to the command
 * as INSTANCE), then the command's argv. Prints READY once pulling.
 */
public final class ExecutorProcessMain {

    private ExecutorProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String endpoint = args[0];
        String jobName = args[1];
        String instance = args[2];
        List<String> argv = List.of(args).subList(3, args.length);
        JobDefinition base = TestJobs.job(jobName, argv.toArray(String[]::new));
        JobDefinition job = new JobDefinition(base.name(),
                new CommandSpec(String.join(" ", argv), argv, false, Optional.empty(), Map.of("INSTANCE", instance)),
                base.schedule(), base.timeZone(), base.delivery(), base.policy());
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
        PubSubClients clients = PubSubClients.local(BrokerFixture.PROJECT, endpoint, executor);
        ExecutorEngine engine = ExecutorEngine.start(List.of(job), clients, executor, task -> new Thread(task).start(),
                new RunHistory(10), new ExecutorEngine.Options(instance, Duration.ofSeconds(5), ProcessLauncher.detect(),
                        (j, r, line) -> System.out.println("[" + j + " " + r + "] " + line)));
        Runtime.getRuntime().addShutdownHook(new Thread(engine::shutdown));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts this main in a new JVM with the test classpath. */
    public static Process launch(String endpoint, String job, String instance, java.nio.file.Path log, String... argv)
            throws java.io.IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", classpath, ExecutorProcessMain.class.getName(), endpoint, job, instance));
        command.addAll(List.of(argv));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
