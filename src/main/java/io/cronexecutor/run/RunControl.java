package io.cronexecutor.run;

import java.time.Duration;
import java.util.Optional;

/**
 * The handle through which a running command is stopped: SIGTERM to its whole tree, then SIGKILL
 * after the grace period if it is still there. The first reason to stop wins.
 */
public final class RunControl {

    private final RunTimer timer;
    private CommandProcess process;
    private StopReason reason;
    private Duration grace = Duration.ZERO;
    private boolean finished;

    public RunControl(RunTimer timer) {
        this.timer = timer;
    }

    synchronized void attach(CommandProcess started) {
        process = started;
        if (reason != null) { // asked to stop before the process existed
            beginStop();
        }
    }

    /** Asks the run to stop; false if it already ended or is already stopping. */
    public synchronized boolean stop(StopReason why, Duration killGrace) {
        if (finished || reason != null) {
            return false;
        }
        reason = why;
        grace = killGrace;
        if (process != null) {
            beginStop();
        }
        return true;
    }

    private void beginStop() {
        process.terminate();
        timer.schedule(this::killIfStillRunning, grace);
    }

    private synchronized void killIfStillRunning() {
        if (!finished && process != null) {
            process.kill();
        }
    }

    synchronized void finished() {
        finished = true;
    }

    public synchronized Optional<StopReason> stopReason() {
        return Optional.ofNullable(reason);
    }
}
