package io.cronexecutor.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PausedJobsTest {

    @TempDir
    Path dir;

    @Test
    void pausedJobsAreRememberedAcrossARestartUntilResumed() throws IOException {
        PausedJobs before = PausedJobs.in(dir);
        before.set("backup", true);
        before.set("report", true);
        before.set("report", false);

        PausedJobs after = PausedJobs.in(dir);
        assertEquals(Set.of("backup"), after.all());
        assertTrue(after.isPaused("backup"));
        assertFalse(after.isPaused("report"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void withoutADirectoryNothingIsWritten() throws IOException {
        PausedJobs memory = PausedJobs.inMemory();
        memory.set("backup", true);
        assertTrue(memory.isPaused("backup"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
