package io.cronexecutor.logging;

import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.LogEntryOperation;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.cronexecutor.run.RunRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a run's output lines and its outcome into Cloud Logging entries. Every entry of a run
 * carries the labels {@code job} and {@code run_id} and the run id as its operation, so the Logs
 * Explorer groups a run's lines with its outcome; the log name, resource and instance label are
 * set once per write request.
 */
public final class RunLogEntries {

    static final String PRODUCER = "cron-executor";

    private final Clock clock;
    private final String insertIdPrefix;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param insertIdPrefix makes insert ids unique per process, so Cloud Logging drops only the
     *                       duplicates of a retried write, never entries of another instance
     */
    public RunLogEntries(Clock clock, String insertIdPrefix) {
        this.clock = clock;
        this.insertIdPrefix = insertIdPrefix;
    }

    /** One line the command printed (stdout and stderr are one stream, so INFO). */
    public LogEntry outputLine(String job, String runId, String line) {
        return base(job, runId, clock.instant())
                .setSeverity(LogSeverity.INFO)
                .setTextPayload(line)
                .setOperation(operation(runId, false))
                .build();
    }

    /** The run's outcome, as structured data: the entry to alert on. */
    public LogEntry runEnded(RunRecord run) {
        Instant at = run.endedAt() != null ? run.endedAt() : clock.instant();
        Struct.Builder payload = Struct.newBuilder()
                .putFields("message", text(summary(run)))
                .putFields("job", text(run.job()))
                .putFields("runId", text(run.id()))
                .putFields("state", text(run.state().name()))
                .putFields("deliveryAttempt", number(run.deliveryAttempt()))
                .putFields("outputTruncated", Value.newBuilder().setBoolValue(run.outputTruncated()).build());
        putIfPresent(payload, "trigger", run.trigger());
        putIfPresent(payload, "messageId", run.messageId());
        putIfPresent(payload, "settlement", run.settlement() == null ? null : run.settlement().name());
        putIfPresent(payload, "detail", run.detail());
        if (run.exitCode() != null) {
            payload.putFields("exitCode", number(run.exitCode()));
        }
        if (run.startedAt() != null) {
            payload.putFields("startedAt", text(run.startedAt().toString()));
            payload.putFields("durationSeconds", number(Duration.between(run.startedAt(), at).toMillis() / 1000.0));
        }
        payload.putFields("endedAt", text(at.toString()));
        return base(run.job(), run.id(), at)
                .setSeverity(severity(run))
                .setJsonPayload(payload)
                .setOperation(operation(run.id(), true))
                .build();
    }

    static LogSeverity severity(RunRecord run) {
        return switch (run.state()) {
            case FAILED, TIMED_OUT, ERROR -> LogSeverity.ERROR;
            case INTERRUPTED, MISSED -> LogSeverity.WARNING;
            default -> LogSeverity.INFO;
        };
    }

    private static String summary(RunRecord run) {
        StringBuilder text = new StringBuilder("Run ").append(run.id()).append(" of job ").append(run.job())
                .append(" ended ").append(run.state());
        if (run.exitCode() != null) {
            text.append(" with exit code ").append(run.exitCode());
        }
        if (run.detail() != null) {
            text.append(": ").append(run.detail());
        }
        return text.toString();
    }

    private LogEntry.Builder base(String job, String runId, Instant at) {
        return LogEntry.newBuilder()
                .setTimestamp(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                .setInsertId(insertIdPrefix + "-" + sequence.incrementAndGet())
                .putLabels("job", job)
                .putLabels("run_id", runId);
    }

    private static LogEntryOperation operation(String runId, boolean last) {
        return LogEntryOperation.newBuilder().setId(runId).setProducer(PRODUCER).setLast(last).build();
    }

    private static void putIfPresent(Struct.Builder payload, String key, String value) {
        if (value != null) {
            payload.putFields(key, text(value));
        }
    }

    private static Value text(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    private static Value number(double value) {
        return Value.newBuilder().setNumberValue(value).build();
    }
}
