package io.cronexecutor.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MvRunStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-04T03:00:00.123456789Z");

    @TempDir
    Path dir;

    private static RunRecord running(String job, String id) {
        return RunRecord.started(id, job, "schedule", "m-" + id, 1, RunState.RUNNING, T0);
    }

    private static RunRecord succeeded(String job, String id, String output) {
        return new RunRecord(id, job, "manual", "m-" + id, 2, T0, T0.plusSeconds(5), 0, RunState.SUCCEEDED,
                Settlement.ACK, output, true, null);
    }

    @Test
    void theHistorySurvivesARestartInItsOrderWithEveryField() {
        List<RunRecord> backup;
        try (MvRunStore store = MvRunStore.open(dir)) {
            RunHistory history = new RunHistory(10, run -> { }, store);
            history.record(running("backup", "a"));
            history.record(succeeded("report", "r", "report done\n"));
            history.record(succeeded("backup", "a", "x".repeat(100_000))); // replaces a; beyond writeUTF's 64 KiB
            history.record(succeeded("backup", "b", ""));
            backup = history.runs("backup");
        }
        try (MvRunStore store = MvRunStore.open(dir)) {
            RunHistory reopened = new RunHistory(10, run -> { }, store);
            assertEquals(backup, reopened.runs("backup"), "newest first, as before the restart");
            assertEquals(List.of(succeeded("report", "r", "report done\n")), reopened.runs("report"));
        }
    }

    @Test
    void aRunThatEndedIsOnFileAtOnceBeforeItsTickIsAcked() throws IOException {
        try (MvRunStore store = MvRunStore.open(dir)) {
            store.save(running("backup", "a"));
            store.save(succeeded("backup", "a", "done\n"));
            // What a crash right now would leave: the file as it is, copied while the store is open.
            Path copy = Files.createDirectories(dir.resolve("copy"));
            Files.copy(dir.resolve("runs.mv.db"), copy.resolve("runs.mv.db"));
            try (MvRunStore crashed = MvRunStore.open(copy)) {
                assertEquals(List.of(succeeded("backup", "a", "done\n")), crashed.load());
            }
        }
    }

    @Test
    void runsPushedOutOfTheHistoryAreGoneFromTheFileToo() {
        try (MvRunStore store = MvRunStore.open(dir)) {
            RunHistory history = new RunHistory(2, run -> { }, store);
            for (int i = 0; i < 5; i++) {
                history.record(succeeded("backup", "run-" + i, ""));
            }
        }
        try (MvRunStore store = MvRunStore.open(dir)) {
            assertEquals(List.of("run-3", "run-4"), store.load().stream().map(RunRecord::id).toList());
        }
    }

    @Test
    void aRunStillGoingWhenTheProcessDiedComesBackInterruptedWithoutBeingCountedAgain() {
        try (MvRunStore store = MvRunStore.open(dir)) {
            new RunHistory(10, run -> { }, store).record(running("backup", "a"));
        }
        List<RunRecord> told = new ArrayList<>();
        try (MvRunStore store = MvRunStore.open(dir)) {
            RunRecord run = new RunHistory(10, told::add, store).find("backup", "a").orElseThrow();
            assertEquals(RunState.INTERRUPTED, run.state());
            assertNull(run.settlement());
            assertTrue(run.detail().contains("Pub/Sub delivers the tick again"), run.detail());
        }
        assertEquals(List.of(), told, "loaded runs are not news to the metrics");
        try (MvRunStore store = MvRunStore.open(dir)) {
            assertEquals(RunState.INTERRUPTED, store.load().get(0).state(), "and it is saved so");
        }
    }

    @Test
    void aHistoryInUseIsNotTakenOverOrMovedAside() throws IOException {
        try (MvRunStore first = MvRunStore.open(dir)) {
            first.save(succeeded("backup", "a", ""));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> MvRunStore.open(dir));
            assertTrue(e.getMessage().startsWith("cannot open the run history "), e.getMessage());
            assertEquals(1, first.load().size());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("unreadable")));
        }
    }

    @Test
    void anUnreadableFileIsMovedAsideAndTheHistoryStartsEmpty() throws IOException {
        Files.write(dir.resolve("runs.mv.db"), "not an MVStore file, but long enough to look at".repeat(200).getBytes());
        try (MvRunStore store = MvRunStore.open(dir)) {
            assertEquals(List.of(), store.load());
            store.save(succeeded("backup", "a", ""));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("runs.mv.db.unreadable-")), "kept for a look");
        }
        try (MvRunStore store = MvRunStore.open(dir)) {
            assertEquals(1, store.load().size(), "the new file works");
        }
    }
}
