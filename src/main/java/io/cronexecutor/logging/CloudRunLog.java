package io.cronexecutor.logging;

import io.cronexecutor.run.OutputSink;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Sends every run's output lines, and its outcome when it ends, to Cloud Logging. Offering an
 * entry never blocks: a slow or unreachable API costs dropped log entries (counted and reported),
 * never a stalled command or a late ack.
 */
public final class CloudRunLog implements OutputSink, RunHistory.Listener {

    private final RunLogEntries entries;
    private final LogShipper shipper;
    private final CloudLoggingWriter writer;

    private CloudRunLog(RunLogEntries entries, LogShipper shipper, CloudLoggingWriter writer) {
        this.entries = entries;
        this.shipper = shipper;
        this.writer = writer;
    }

    public static CloudRunLog start(CloudLoggingSettings settings, String instanceId, ScheduledExecutorService clientExecutor,
                                    ThreadFactory threads, LogShipper.Listener listener) {
        CloudLoggingWriter writer = new CloudLoggingWriter(settings, instanceId, clientExecutor);
        LogShipper shipper = new LogShipper(writer, LogShipper.Options.defaults(settings.bufferBytes()), listener,
                threads, System::nanoTime);
        String insertIds = instanceId + "-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
        return new CloudRunLog(new RunLogEntries(Clock.systemUTC(), insertIds), shipper, writer);
    }

    @Override
    public void line(String job, String runId, String line) {
        shipper.offer(entries.outputLine(job, runId, line));
    }

    @Override
    public void ended(RunRecord run) {
        shipper.offer(entries.runEnded(run), true);
    }

    /** Writes what is queued for at most {@code grace}, then closes the client. */
    public void close(Duration grace) {
        shipper.close(grace);
        writer.close();
    }
}
