package io.cronexecutor.job;

/** What a tick does when the job already runs {@code max-concurrent} times on this instance. */
public enum OverlapPolicy {
    /** Ack the tick and record it SKIPPED. */
    SKIP,
    /** Hold the tick, leased, until a slot frees. */
    QUEUE
}
