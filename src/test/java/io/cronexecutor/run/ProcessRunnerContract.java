package io.cronexecutor.run;

import io.cronexecutor.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real processes under each launcher that gives the full guarantees: the runner must report what
 * the operating system did, and no process of a command may outlive its run.
 */
abstract class ProcessRunnerContract {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final RunTimer timer = RunTimer.on(scheduler);
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final ProcessLauncher launcher = newLauncher();
    private final ProcessRunner runner = new ProcessRunner(launcher,
            (job, run, line) -> logged.add(job + "/" + run + ": " + line), timer);

    abstract ProcessLauncher newLauncher();

    /** The pid of the launcher's group reaper. */
    abstract long reaperPid(ProcessLauncher launcher) throws IOException;

    @TempDir
    Path dir;

    @AfterEach
    void stopTimer() {
        scheduler.shutdownNow();
    }

    ProcessOutcome run(String... argv) {
        return run(LaunchSpec.of(List.of(argv)), new byte[0], Duration.ofMinutes(1), 1024);
    }

    ProcessOutcome run(LaunchSpec launch, byte[] stdin, Duration timeout, int outputLimit) {
        return runner.run(new RunRequest("j", "r1", launch, stdin, timeout, Duration.ofSeconds(2), outputLimit),
                new RunControl(timer));
    }

    @Test
    void exitCodeAndInterleavedStdoutAndStderrAreReported() {
        ProcessOutcome outcome = run("sh", "-c", "echo out; echo err >&2; exit 7");
        assertEquals(7, outcome.exitCode());
        assertEquals("out\nerr\n", outcome.output());
        assertNull(outcome.startError());
        assertNull(outcome.stoppedBy());
        assertEquals(List.of("j/r1: out", "j/r1: err"), logged);
    }

    @Test
    void commandKilledByASignalReportsOneHundredTwentyEightPlusItsNumber() {
        assertEquals(128 + 9, run("sh", "-c", "kill -KILL $$").exitCode());
    }

    @Test
    void commandLeadsASessionAndProcessGroupOfItsOwn() {
        // Fields 5 and 6 of /proc/PID/stat are the process group and the session.
        ProcessOutcome outcome = run("sh", "-c", "read -r pid comm state ppid pgrp sid rest < /proc/$$/stat; echo $$ $pgrp $sid");
        String[] ids = outcome.output().trim().split(" ");
        assertEquals(ids[0], ids[1], outcome.output());
        assertEquals(ids[0], ids[2], outcome.output());
    }

    @Test
    void argumentsReachTheCommandUnchanged() {
        ProcessOutcome outcome = run("printf", "%s|", "a b", "$HOME", "*", "");
        assertEquals(0, outcome.exitCode());
        assertEquals("a b|$HOME|*||\n", outcome.output());
    }

    @Test
    void missingBinaryIsAStartErrorNamingIt() {
        assertTrue(run("/no/such/command").startError().contains("/no/such/command"));
        assertTrue(run("no-such-command-on-path").startError().contains("no-such-command-on-path"));
    }

    @Test
    void tickDataArrivesOnStdinAndEnvironmentAndWorkingDirectoryApply() throws IOException {
        Files.writeString(dir.resolve("marker"), "here");
        LaunchSpec launch = new LaunchSpec(List.of("sh", "-c", "cat; echo \" $GREETING $(cat marker)\""),
                Optional.of(dir), Map.of("GREETING", "hello world"), Optional.empty());
        ProcessOutcome outcome = run(launch, "tick data".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1), 1024);
        assertEquals("tick data hello world here\n", outcome.output());
    }

    @Test
    void commandGetsEndOfFileOnStdinWhenTheTickHasNoData() {
        ProcessOutcome outcome = run("cat");
        assertEquals(0, outcome.exitCode());
        assertEquals("", outcome.output());
    }

    @Test
    void largeOutputKeepsOnlyTheBoundedTailButStreamsEveryLine() {
        ProcessOutcome outcome = run("seq", "1", "100000");
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.outputTruncated());
        assertTrue(outcome.output().length() <= 1024 + OutputTail.TRUNCATION_MARK.length());
        assertTrue(outcome.output().endsWith("99999\n100000\n"), outcome.output());
        assertEquals(100000, logged.size());
    }

    @Test
    void timedOutCommandIsKilledWithItsChildrenAndGrandchildren() throws IOException {
        Path pids = dir.resolve("pids");
        // A child that ignores SIGTERM and a grandchild that detached into the background.
        String script = "echo $$ > " + pids + "; "
                + "sh -c 'trap \"\" TERM; echo $$ >> " + pids + "; sleep 300' & "
                + "(sleep 301 & echo $! >> " + pids + ") ; "
                + "sleep 302";
        long started = System.nanoTime();
        ProcessOutcome outcome = run(LaunchSpec.of(List.of("sh", "-c", script)), new byte[0], Duration.ofSeconds(1), 1024);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(StopReason.TIMEOUT, outcome.stoppedBy());
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "stopped at the timeout plus grace, took " + took);
        List<Long> tree = Files.readAllLines(pids).stream().map(String::trim).map(Long::parseLong).toList();
        assertEquals(3, tree.size(), tree.toString());
        Await.until(Duration.ofSeconds(5), () -> tree.stream().noneMatch(Await::processAlive),
                () -> "every process of the tree is gone: " + tree.stream().filter(Await::processAlive).toList());
    }

    @Test
    void processesLeftBehindByACommandThatExitedAreKilled() throws IOException {
        Path pid = dir.resolve("pid");
        ProcessOutcome outcome = run("sh", "-c", "sleep 303 > /dev/null 2>&1 & echo $! > " + pid + "; exit 0");
        assertEquals(0, outcome.exitCode());
        long leftover = Long.parseLong(Files.readString(pid).trim());
        Await.until(Duration.ofSeconds(5), () -> !Await.processAlive(leftover), () -> "background sleep " + leftover + " killed");
    }

    @Test
    void aKilledReaperIsReplacedAndStillStopsTheTree() throws IOException, InterruptedException {
        long first = reaperPid(launcher);
        new ProcessBuilder("kill", "-KILL", Long.toString(first)).start().waitFor();
        Await.until(Duration.ofSeconds(5), () -> !Await.processAlive(first), () -> "reaper killed");
        Path pid = dir.resolve("pid");
        ProcessOutcome outcome = run(LaunchSpec.of(List.of("sh", "-c", "sleep 304 & echo $! > " + pid + "; wait")),
                new byte[0], Duration.ofSeconds(1), 1024);
        assertEquals(StopReason.TIMEOUT, outcome.stoppedBy());
        long child = Long.parseLong(Files.readString(pid).trim());
        Await.until(Duration.ofSeconds(5), () -> !Await.processAlive(child), () -> "child " + child + " killed by the new reaper");
        assertTrue(reaperPid(launcher) != first);
    }

    @Test
    void cancelStopsTheRunAndSaysSo() throws InterruptedException {
        RunControl control = new RunControl(timer);
        var result = new java.util.concurrent.CompletableFuture<ProcessOutcome>();
        Thread runThread = new Thread(() -> result.complete(runner.run(new RunRequest("j", "r", LaunchSpec.of(List.of("sleep", "300")),
                new byte[0], Duration.ofMinutes(5), Duration.ofSeconds(2), 1024), control)));
        runThread.start();
        Thread.sleep(300);
        assertTrue(control.stop(StopReason.CANCELLED, Duration.ofSeconds(2)));
        assertFalse(control.stop(StopReason.TIMEOUT, Duration.ofSeconds(2)), "the first reason wins");
        assertEquals(StopReason.CANCELLED, result.join().stoppedBy());
    }
}
