package io.cronexecutor.metrics;

import io.cronexecutor.logging.LogShipper;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Counts run log entries written to Cloud Logging and those given up
 * ({@code cron_cloud_logging_entries_total{outcome}}), so that lost logs can be alerted on.
 */
public final class CloudLoggingMetrics implements LogShipper.Listener {

    static final Metadata ENTRIES = Metadata.builder()
            .withName("cron.cloud.logging.entries")
            .withDescription("Run log entries written to Cloud Logging (outcome=written) or dropped because the buffer"
                    + " was full or the API refused them (outcome=dropped)")
            .build();

    private final Counter written;
    private final Counter dropped;

    public CloudLoggingMetrics(MetricRegistry registry) {
        written = registry.counter(ENTRIES, new Tag("outcome", "written"));
        dropped = registry.counter(ENTRIES, new Tag("outcome", "dropped"));
    }

    @Override
    public void written(int entries) {
        written.inc(entries);
    }

    @Override
    public void dropped(int entries) {
        dropped.inc(entries);
    }
}
