package io.cronexecutor.job;

/** What a failed run (non-zero exit outside the retry codes, timeout, or a command that cannot start) does with its tick. */
public enum FailurePolicy {
    /** Ack it, as cron would: the failure is recorded and the tick is done. */
    ACK,
    /** Nack it so Pub/Sub redelivers it (subject to the subscription's retry and dead-letter policy). */
    RETRY
}
