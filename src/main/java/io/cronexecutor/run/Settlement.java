package io.cronexecutor.run;

/** What was done with a tick once its run was over. */
public enum Settlement {
    /** Acknowledged: Pub/Sub will not deliver it again. */
    ACK,
    /** Handed back: Pub/Sub redelivers it, here or on another instance. */
    NACK
}
