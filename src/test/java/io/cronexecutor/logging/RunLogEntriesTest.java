package io.cronexecutor.logging;

import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.run.Settlement;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLogEntriesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T06:00:00.123456789Z");
    private final RunLogEntries entries = new RunLogEntries(Clock.fixed(NOW, ZoneOffset.UTC), "vm-1");

    private static RunRecord ended(RunState state, Integer exitCode, String detail) {
        Instant start = NOW.minusSeconds(90);
        return new RunRecord("run-7", "backup", "schedule", "42", 2, start, NOW, exitCode, state, Settlement.ACK,
                "tail", false, detail);
    }

    @Test
    void outputLineIsTextLabelledWithItsJobAndRunAndGroupedByTheRun() {
        LogEntry line = entries.outputLine("backup", "run-7", "copied 12 files");

        assertEquals("copied 12 files", line.getTextPayload());
        assertEquals(LogSeverity.INFO, line.getSeverity());
        assertEquals("backup", line.getLabelsOrThrow("job"));
        assertEquals("run-7", line.getLabelsOrThrow("run_id"));
        assertEquals("run-7", line.getOperation().getId());
        assertEquals("cron-executor", line.getOperation().getProducer());
        assertFalse(line.getOperation().getLast());
        assertEquals(NOW.getEpochSecond(), line.getTimestamp().getSeconds());
        assertEquals(NOW.getNano(), line.getTimestamp().getNanos());
    }

    @Test
    void failedRunIsAnErrorEntryWithExitCodeDurationAndHowTheTickWasSettled() {
        LogEntry end = entries.runEnded(ended(RunState.FAILED, 3, null));

        assertEquals(LogSeverity.ERROR, end.getSeverity());
        var payload = end.getJsonPayload().getFieldsMap();
        assertEquals("Run run-7 of job backup ended FAILED with exit code 3", payload.get("message").getStringValue());
        assertEquals("FAILED", payload.get("state").getStringValue());
        assertEquals(3, payload.get("exitCode").getNumberValue());
        assertEquals(90.0, payload.get("durationSeconds").getNumberValue());
        assertEquals(2, payload.get("deliveryAttempt").getNumberValue());
        assertEquals("ACK", payload.get("settlement").getStringValue());
        assertEquals("42", payload.get("messageId").getStringValue());
        assertEquals("schedule", payload.get("trigger").getStringValue());
        assertTrue(end.getOperation().getLast(), "the outcome closes the run's operation");
        assertEquals("backup", end.getLabelsOrThrow("job"));
    }

    @Test
    void severityFollowsWhatAnOperatorMustLookAt() {
        assertEquals(LogSeverity.INFO, entries.runEnded(ended(RunState.SUCCEEDED, 0, null)).getSeverity());
        assertEquals(LogSeverity.INFO, entries.runEnded(ended(RunState.SKIPPED, null, "already running")).getSeverity());
        assertEquals(LogSeverity.ERROR, entries.runEnded(ended(RunState.TIMED_OUT, null, "timeout 1h")).getSeverity());
        assertEquals(LogSeverity.ERROR, entries.runEnded(ended(RunState.ERROR, null, "no such file")).getSeverity());
        assertEquals(LogSeverity.WARNING, entries.runEnded(ended(RunState.MISSED, null, "older than max-age")).getSeverity());
        assertEquals(LogSeverity.WARNING, entries.runEnded(ended(RunState.INTERRUPTED, null, "shutdown")).getSeverity());
    }

    @Test
    void runThatNeverStartedHasNoExitCodeButSaysWhy() {
        LogEntry end = entries.runEnded(ended(RunState.MISSED, null, "published 2h ago, max-age 1h"));

        var payload = end.getJsonPayload().getFieldsMap();
        assertFalse(payload.containsKey("exitCode"));
        assertEquals("published 2h ago, max-age 1h", payload.get("detail").getStringValue());
        assertEquals("Run run-7 of job backup ended MISSED: published 2h ago, max-age 1h", payload.get("message").getStringValue());
    }

    @Test
    void everyEntryHasItsOwnInsertIdSoOnlyRetriedWritesAreDeduplicated() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(ids.add(entries.outputLine("backup", "run-7", "same line").getInsertId()));
        }
        assertTrue(ids.iterator().next().startsWith("vm-1-"));
    }
}
