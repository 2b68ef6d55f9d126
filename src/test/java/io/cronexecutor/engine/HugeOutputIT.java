package io.cronexecutor.engine;

import io.cronexecutor.run.LaunchSpec;
import io.cronexecutor.run.ProcessOutcome;
import io.cronexecutor.run.ProcessRunner;
import io.cronexecutor.run.RunControl;
import io.cronexecutor.run.RunRequest;
import io.cronexecutor.run.RunTimer;
import io.cronexecutor.run.ProcessLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command printing a gigabyte, run by the real runner in a JVM whose heap is capped at 64 MB:
 * if output were held rather than streamed, that JVM would die of OutOfMemoryError.
 */
class HugeOutputIT {

    static final long ONE_GB = 1L << 30;
    static final int TAIL = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void commandPrintingAGigabyteKeepsTheHeapBoundedAndItsTail() throws Exception {
        Path report = dir.resolve("report");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", classpath, HugeOutputIT.class.getName(), report.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        assertTrue(jvm.waitFor(5, TimeUnit.MINUTES), "finished in time");
        assertEquals(0, jvm.exitValue(), Files.readString(dir.resolve("jvm.log")));

        List<String> lines = Files.readAllLines(report);
        assertEquals("exit=0", lines.get(0));
        assertEquals("streamed=" + ONE_GB, lines.get(1), "every byte reached the log sink");
        assertEquals("truncated=true", lines.get(2));
        long tailLength = Long.parseLong(lines.get(3).substring("tail=".length()));
        assertTrue(tailLength <= TAIL + 64, "tail kept bounded: " + tailLength);
        assertTrue(lines.get(4).startsWith("last=the end"), lines.get(4));
        System.out.println("1 GB run: " + lines.get(5) + ", " + lines.get(6));
    }

    /** Runs in the capped JVM: 1 GB of 63-character lines, then a last line, through the real runner. */
    public static void main(String[] args) throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicLong streamed = new AtomicLong();
        ProcessRunner runner = new ProcessRunner(ProcessLauncher.detect(),
                (job, run, line) -> streamed.addAndGet(line.length() + 1), RunTimer.on(scheduler));
        String script = "yes 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' | head -c " + ONE_GB
                + "; echo the end";
        long started = System.nanoTime();
        ProcessOutcome outcome = runner.run(new RunRequest("huge", "r", LaunchSpec.of(List.of("sh", "-c", script)),
                new byte[0], Duration.ofMinutes(4), Duration.ofSeconds(5), TAIL), new RunControl(RunTimer.on(scheduler)));
        double seconds = (System.nanoTime() - started) / 1e9;
        String[] tail = outcome.output().split("\n");
        Files.write(Path.of(args[0]), List.of(
                "exit=" + outcome.exitCode(),
                "streamed=" + (streamed.get() - "the end\n".length()),
                "truncated=" + outcome.outputTruncated(),
                "tail=" + outcome.output().length(),
                "last=" + tail[tail.length - 1],
                String.format("%.1f s, %.0f MB/s", seconds, ONE_GB / 1e6 / seconds),
                "peak heap used " + ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024 * 1024) + " MB of 64 MB max"));
        scheduler.shutdownNow();
    }
}
