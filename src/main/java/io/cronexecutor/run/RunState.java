package io.cronexecutor.run;

/** Where a run is in its life. */
public enum RunState {
    /** A manual tick was published by this instance and has not started here (it may run on another VM). */
    PUBLISHED,
    RUNNING,
    /** The command exited 0. */
    SUCCEEDED,
    /** The command exited with another code. */
    FAILED,
    /** The command could not be started at all (missing binary, permissions). */
    ERROR
}
