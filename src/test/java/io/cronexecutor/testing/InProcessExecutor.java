package io.cronexecutor.testing;

import io.cronexecutor.ExecutorEngine;
import io.cronexecutor.job.CommandSpec;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.run.OutputSink;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.ProcessLauncher;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fleet member inside the test JVM, on the fixture's broker, with its own run history. */
public final class InProcessExecutor implements AutoCloseable {

    private final RunHistory history;
    private final ExecutorEngine engine;
    private boolean closed;

    public InProcessExecutor(BrokerFixture fixture, String instance, Duration shutdownGrace, JobDefinition... jobs) {
        this(fixture, instance, shutdownGrace, OutputSink.NONE, run -> { }, jobs);
    }

    /** A member whose output lines go to {@code sink} and whose ended runs are told to {@code listener}. */
    public InProcessExecutor(BrokerFixture fixture, String instance, Duration shutdownGrace, OutputSink sink,
                             RunHistory.Listener listener, JobDefinition... jobs) {
        history = new RunHistory(500, listener);
        List<JobDefinition> labelled = java.util.Arrays.stream(jobs).map(j -> withInstance(j, instance)).toList();
        engine = ExecutorEngine.start(labelled, fixture.clients(), fixture.executor(), task -> new Thread(task).start(),
                history, new ExecutorEngine.Options(instance, shutdownGrace, ProcessLauncher.detect(), sink));
    }

    /** The job's command sees INSTANCE, so a test can tell the fleet members apart. */
    private static JobDefinition withInstance(JobDefinition job, String instance) {
        Map<String, String> env = new HashMap<>(job.command().environment());
        env.put("INSTANCE", instance);
        CommandSpec command = new CommandSpec(job.command().commandLine(), job.argv(), job.command().shell(),
                job.command().workingDir(), env);
        return new JobDefinition(job.name(), command, job.schedule(), job.timeZone(), job.delivery(), job.policy());
    }

    public RunHistory history() {
        return history;
    }

    public List<RunRecord> runs(String job) {
        return history.runs(job);
    }

    public Optional<RunRecord> latest(String job) {
        return history.latest(job);
    }

    public ExecutorEngine engine() {
        return engine;
    }

    /** Shuts down gracefully, as a SIGTERM to the service would. */
    public void shutdown() {
        if (!closed) {
            closed = true;
            engine.shutdown();
        }
    }

    @Override
    public void close() {
        shutdown();
    }
}
