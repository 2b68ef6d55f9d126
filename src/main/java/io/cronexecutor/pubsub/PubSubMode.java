package io.cronexecutor.pubsub;

/** Where ticks travel through. */
public enum PubSubMode {
    /** The in-process broker this service starts on loopback; the default on one machine. */
    EMBEDDED,
    /** A Pub/Sub emulator named by {@code PUBSUB_EMULATOR_HOST}. */
    EMULATOR,
    /** Google Cloud Pub/Sub, with the VM's (or application-default) credentials. */
    CLOUD
}
