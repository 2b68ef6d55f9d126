package io.cronexecutor.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Runs one command to completion on the calling thread: starts it, streams every output line to
 * the sink while keeping a bounded tail, and waits for it to exit.
 */
public final class ProcessRunner {

    private static final int MAX_LINE_BYTES = 16 * 1024;

    private final ProcessLauncher launcher;
    private final OutputSink sink;
    private final int outputLimit;

    public ProcessRunner(ProcessLauncher launcher, OutputSink sink, int outputLimit) {
        this.launcher = launcher;
        this.sink = sink;
        this.outputLimit = outputLimit;
    }

    public ProcessOutcome run(String job, String runId, List<String> argv) {
        Process process;
        try {
            process = launcher.start(argv);
        } catch (IOException e) {
            return ProcessOutcome.couldNotStart("cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        OutputTail tail = new OutputTail(outputLimit);
        try {
            process.getOutputStream().close(); // nothing to say on stdin yet; EOF rather than a hang
            try (InputStream out = process.getInputStream()) {
                new LineReader(MAX_LINE_BYTES).drain(out, line -> {
                    tail.addLine(line);
                    sink.line(job, runId, line);
                });
            }
            int exit = process.waitFor();
            return new ProcessOutcome(exit, tail.text(), tail.truncated(), null);
        } catch (IOException e) {
            // Output could not be read: do not leave the command running unobserved.
            process.destroyForcibly();
            tail.addLine("[cron-executor: reading output failed: " + e.getMessage() + "]");
            return new ProcessOutcome(waitQuietly(process), tail.text(), tail.truncated(), null);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            tail.addLine("[cron-executor: interrupted, command killed]");
            return new ProcessOutcome(waitQuietly(process), tail.text(), tail.truncated(), null);
        }
    }

    private static int waitQuietly(Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
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
