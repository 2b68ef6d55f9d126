package io.cronexecutor.metrics;

import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes every run that ends to MicroProfile Metrics: a count per job and final state
 * ({@code cron_runs_total}) and, for runs whose command ran, how long it took
 * ({@code cron_run_duration_seconds}), so an operator can alert on failures and slow jobs.
 */
public final class RunMetrics implements RunHistory.Listener {

    static final Metadata RUNS = Metadata.builder()
            .withName("cron.runs")
            .withDescription("Runs that ended, by job and final state (SUCCEEDED, FAILED, TIMED_OUT, SKIPPED, MISSED, ...)")
            .build();
    static final Metadata DURATION = Metadata.builder()
            .withName("cron.run.duration")
            .withDescription("How long each job's commands ran")
            .withUnit(MetricUnits.SECONDS)
            .build();

    static final Metadata LAST_SUCCESS = Metadata.builder()
            .withName("cron.last.success.timestamp")
            .withDescription("When the job's last successful run on this instance ended, in seconds since the epoch:"
                    + " alert when time() minus the fleet's max of it exceeds the job's period")
            .withUnit(MetricUnits.SECONDS)
            .build();

    private final MetricRegistry registry;
    private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();

    public RunMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void ended(RunRecord run) {
        Tag job = new Tag("job", run.job());
        registry.counter(RUNS, job, new Tag("state", run.state().name())).inc();
        if (run.exitCode() != null && run.startedAt() != null && run.endedAt() != null) {
            registry.timer(DURATION, job).update(Duration.between(run.startedAt(), run.endedAt()));
        }
        if (run.state() == RunState.SUCCEEDED && run.endedAt() != null) {
            lastSuccess(run.job()).accumulateAndGet(run.endedAt().toEpochMilli(), Math::max);
        }
    }

    /** The gauge appears with the job's first success here, so "never succeeded" is an absent series. */
    private AtomicLong lastSuccess(String job) {
        return lastSuccessMillis.computeIfAbsent(job, name -> {
            AtomicLong millis = new AtomicLong();
            registry.gauge(LAST_SUCCESS, millis, m -> m.get() / 1000.0, new Tag("job", name));
            return millis;
        });
    }
}
