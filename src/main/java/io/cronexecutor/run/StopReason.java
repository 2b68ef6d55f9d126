package io.cronexecutor.run;

/** Why the executor stopped a command before it exited by itself. */
public enum StopReason {
    /** It ran past the job's timeout. */
    TIMEOUT,
    /** An operator cancelled the run. */
    CANCELLED,
    /** The instance shut down and the grace period ran out. */
    SHUTDOWN
}
