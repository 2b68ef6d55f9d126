package io.cronexecutor.run;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunHistoryListenerTest {

    @Test
    void listenerHearsOfEachRunOnceWhenItEnds() {
        List<RunState> ended = new ArrayList<>();
        RunHistory history = new RunHistory(10, run -> ended.add(run.state()));
        RunRecord started = RunRecord.started("a", "job", "manual", "1", 1, RunState.RUNNING, Instant.EPOCH);
        history.recordIfAbsent(RunRecord.started("a", "job", "manual", "1", 0, RunState.PUBLISHED, Instant.EPOCH));
        history.record(started);
        RunRecord done = started.finished(RunState.SUCCEEDED, Settlement.ACK, Instant.EPOCH.plusSeconds(2),
                ProcessOutcome.exited(0, ""), null);
        history.record(done);
        history.record(done); // recording the same end again is not a second end
        assertEquals(List.of(RunState.SUCCEEDED), ended);
    }
}
