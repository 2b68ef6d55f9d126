package io.cronexecutor.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real processes: the runner must report what the operating system did. */
class ProcessRunnerTest {

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final ProcessRunner runner = new ProcessRunner(ProcessLauncher.SYSTEM,
            (job, run, line) -> logged.add(job + "/" + run + ": " + line), 1024);

    @Test
    void exitCodeAndInterleavedStdoutAndStderrAreReported() {
        ProcessOutcome outcome = runner.run("j", "r1", List.of("sh", "-c", "echo out; echo err >&2; exit 7"));
        assertEquals(7, outcome.exitCode());
        assertEquals("out\nerr\n", outcome.output());
        assertNull(outcome.startError());
        assertEquals(List.of("j/r1: out", "j/r1: err"), logged);
    }

    @Test
    void argumentsReachTheCommandUnchanged() {
        ProcessOutcome outcome = runner.run("j", "r", List.of("printf", "%s|", "a b", "$HOME", "*", ""));
        assertEquals(0, outcome.exitCode());
        assertEquals("a b|$HOME|*||\n", outcome.output());
    }

    @Test
    void missingBinaryIsAStartErrorNamingIt() {
        ProcessOutcome outcome = runner.run("j", "r", List.of("/no/such/command"));
        assertTrue(outcome.startError().contains("/no/such/command"), outcome.startError());
    }

    @Test
    void commandGetsEndOfFileOnStdinInsteadOfHanging() {
        ProcessOutcome outcome = runner.run("j", "r", List.of("cat"));
        assertEquals(0, outcome.exitCode());
        assertEquals("", outcome.output());
    }

    @Test
    void largeOutputKeepsOnlyTheBoundedTail() {
        ProcessOutcome outcome = runner.run("j", "r", List.of("seq", "1", "100000"));
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.outputTruncated());
        assertTrue(outcome.output().length() <= 1024 + OutputTail.TRUNCATION_MARK.length());
        assertTrue(outcome.output().endsWith("99999\n100000\n"), outcome.output());
        assertEquals(100000, logged.size(), "every line is still streamed to the log");
    }
}
