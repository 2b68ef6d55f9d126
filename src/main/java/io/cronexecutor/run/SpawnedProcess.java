package io.cronexecutor.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A command started by {@link NativeSessionLauncher}: its group, its output pipe, its exit.
 * Signals and reaping take one lock, so a stop never reaches a group id the kernel has already
 * handed to someone else.
 */
final class SpawnedProcess implements CommandProcess {

    private final int group;
    private final InputStream output;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean reaped;

    SpawnedProcess(int group, InputStream output) {
        this.group = group;
        this.output = output;
    }

    /** Called once the leader has exited: kills its leftovers and collects its exit code. */
    synchronized void reap() {
        try {
            int code = PosixSpawn.reap(group);
            reaped = true;
            exit.complete(code);
        } catch (IOException e) {
            reaped = true;
            exit.completeExceptionally(e);
        }
    }

    void failed(IOException e) {
        exit.completeExceptionally(e);
    }

    @Override
    public long pid() {
        return group;
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + group, e.getCause());
        }
    }

    @Override
    public void terminate() {
        signal(PosixSpawn.SIGTERM);
    }

    @Override
    public void kill() {
        signal(PosixSpawn.SIGKILL);
    }

    private synchronized void signal(int signal) {
        if (reaped) {
            return;
        }
        try {
            PosixSpawn.signalGroup(group, signal);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal process group " + group, e);
        }
    }
}
