package io.cronexecutor.run;

/** Where a run is in its life. */
public enum RunState {
    /** A manual tick was published by this instance and has not started here (it may run on another VM). */
    PUBLISHED,
    /** Held, leased, until one of the job's slots frees ({@code overlap=queue}). */
    QUEUED,
    RUNNING,
    /** The command exited 0. */
    SUCCEEDED,
    /** The command exited with another code. */
    FAILED,
    /** The command could not be started at all (missing binary, permissions). */
    ERROR,
    /** The command ran past its timeout and was stopped. */
    TIMED_OUT,
    /** An operator cancelled the run. */
    CANCELLED,
    /** The instance shut down: the command was stopped, or never started, and the tick handed back. */
    INTERRUPTED,
    /** The job was already running {@code max-concurrent} times ({@code overlap=skip}); the tick was acked unrun. */
    SKIPPED,
    /** The tick was older than {@code max-age} when it arrived; acked unrun. */
    MISSED;

    public boolean isFinal() {
        return this != PUBLISHED && this != QUEUED && this != RUNNING;
    }
}
