package io.cronexecutor.run;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher the service uses on Linux, through the same contract as the setsid fallback, plus
 * what posix_spawn leaves to us and the JDK used to do: closing the server's files, resetting
 * signals, running scripts without "#!".
 */
class NativeSessionLauncherTest extends ProcessRunnerContract {

    @Override
    ProcessLauncher newLauncher() {
        return new NativeSessionLauncher(); // fails, rather than skips, where the library is missing
    }

    @Override
    long reaperPid(ProcessLauncher launcher) throws IOException {
        return ((NativeSessionLauncher) launcher).reaperPid();
    }

    @Test
    void isWhatTheServiceUsesHere() {
        assertEquals(Optional.empty(), PosixSpawn.problem());
        assertTrue(ProcessLauncher.detect() instanceof NativeSessionLauncher);
    }

    @Test
    void noFileOfTheServerIsInheritedByTheCommand() {
        // The JVM holds jars, sockets and pipes open; the shell must see only stdin, stdout, stderr.
        assertEquals("0\n1\n2\n", run("sh", "-c", "ls /proc/$$/fd").output());
    }

    @Test
    void signalTheServerIgnoresIsNotIgnoredByTheCommand() {
        // As under nohup: SIGHUP ignored by the server. 32 and 33 are glibc's own, ignored in any spawn.
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
        try {
            String status = run("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status").output();
            for (String line : status.strip().split("\n")) {
                long standardSignals = Long.parseUnsignedLong(line.substring(line.indexOf('\t') + 1), 16) & 0x7FFF_FFFFL;
                assertEquals(0, standardSignals, "no signal 1-31 blocked or ignored: " + status);
            }
        } finally {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), previous);
        }
    }

    @Test
    void scriptWithoutAnInterpreterLineRunsThroughTheShell() throws IOException {
        Path script = Files.createTempFile(dir, "plain", ".sh", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.writeString(script, "echo \"ran with $1\"\n");
        ProcessOutcome outcome = run(script.toString(), "argument");
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertEquals("ran with argument\n", outcome.output());
    }

    @Test
    void missingWorkingDirectoryIsAStartErrorNamingIt() {
        Path missing = dir.resolve("no-such-dir");
        ProcessOutcome outcome = run(new LaunchSpec(List.of("true"), Optional.of(missing), Map.of(), Optional.empty()),
                new byte[0], java.time.Duration.ofMinutes(1), 1024);
        assertTrue(outcome.startError() != null && outcome.startError().contains(missing.toString()), outcome.startError());
    }

    @Test
    void nulCharacterInAnArgumentIsAStartErrorSayingSo() {
        ProcessOutcome outcome = run("echo", "a\0b");
        assertTrue(outcome.startError() != null && outcome.startError().contains("argument 1 contains a NUL"),
                outcome.startError());
    }
}
