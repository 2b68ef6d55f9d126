package io.cronexecutor.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one command to completion on the calling thread: starts it, streams every output line to
 * the sink while keeping a bounded tail, stops its whole tree when the timeout passes, and waits
 * for it to exit.
 */
public final class ProcessRunner implements CommandRunner {

    private static final Logger LOG = Logger.getLogger(ProcessRunner.class.getName());
    private static final int MAX_LINE_BYTES = 16 * 1024;

    private final ProcessLauncher launcher;
    private final OutputSink sink;
    private final RunTimer timer;

    public ProcessRunner(ProcessLauncher launcher, OutputSink sink, RunTimer timer) {
        this.launcher = launcher;
        this.sink = sink;
        this.timer = timer;
    }

    @Override
    public ProcessOutcome run(RunRequest request, RunControl control) {
        Optional<Path> stdin = Optional.empty();
        CommandProcess process;
        try {
            stdin = stdinFile(request.stdinData());
            process = launcher.start(new LaunchSpec(request.launch().argv(), request.launch().workingDir(),
                    request.launch().environment(), stdin));
        } catch (IOException e) {
            deleteQuietly(stdin);
            control.finished();
            return ProcessOutcome.couldNotStart("cannot start " + request.launch().argv().get(0) + ": " + e.getMessage());
        }
        control.attach(process);
        RunTimer.Scheduled timeout = timer.schedule(() -> control.stop(StopReason.TIMEOUT, request.killGrace()), request.timeout());
        OutputTail tail = new OutputTail(request.outputLimit());
        try {
            try (InputStream out = process.output()) {
                new LineReader(MAX_LINE_BYTES).drain(out, line -> {
                    tail.addLine(line);
                    sink.line(request.job(), request.runId(), line);
                });
            } catch (IOException e) {
                // Output can no longer be read: do not leave the command running unobserved.
                tail.addLine("[cron-executor: reading output failed: " + e.getMessage() + "]");
                process.kill();
            }
            int exit = waitUninterruptibly(process);
            return new ProcessOutcome(exit, tail.text(), tail.truncated(), null, control.stopReason().orElse(null));
        } finally {
            timeout.cancel();
            control.finished();
            deleteQuietly(stdin);
        }
    }

    /** The tick's data as a file, so the command reads it at its own pace and no thread has to feed a pipe. */
    private static Optional<Path> stdinFile(byte[] data) throws IOException {
        if (data == null || data.length == 0) {
            return Optional.empty();
        }
        Path file = Files.createTempFile("cron-tick-", ".stdin");
        Files.write(file, data);
        return Optional.of(file);
    }

    private static void deleteQuietly(Optional<Path> file) {
        file.ifPresent(f -> {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.log(Level.FINE, "could not delete " + f, e);
            }
        });
    }

    /**
     * A run thread is only interrupted when its application is going away; the command is
     * killed then, and its exit still awaited so the outcome is true.
     */
    private static int waitUninterruptibly(CommandProcess process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        process.kill();
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
