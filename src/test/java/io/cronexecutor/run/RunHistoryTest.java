package io.cronexecutor.run;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunHistoryTest {

    private static RunRecord run(String id, RunState state) {
        return RunRecord.started(id, "job", "manual", "m" + id, 1, state, Instant.EPOCH);
    }

    @Test
    void keepsTheNewestRunsPerJobNewestFirst() {
        RunHistory history = new RunHistory(2);
        history.record(run("a", RunState.SUCCEEDED));
        history.record(run("b", RunState.SUCCEEDED));
        history.record(run("c", RunState.RUNNING));
        assertEquals(List.of("c", "b"), history.runs("job").stream().map(RunRecord::id).toList());
    }

    @Test
    void aRunChangingStateReplacesItsRecord() {
        RunHistory history = new RunHistory(5);
        history.record(run("a", RunState.RUNNING));
        history.record(run("a", RunState.FAILED));
        assertEquals(1, history.runs("job").size());
        assertEquals(RunState.FAILED, history.find("job", "a").orElseThrow().state());
    }

    @Test
    void publishedRecordNeverOverwritesARunThatAlreadyStarted() {
        RunHistory history = new RunHistory(5);
        history.record(run("a", RunState.RUNNING));
        RunRecord held = history.recordIfAbsent(run("a", RunState.PUBLISHED));
        assertEquals(RunState.RUNNING, held.state());
    }
}
