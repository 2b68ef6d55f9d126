package io.cronexecutor.job;

/** Which instances of the fleet run a tick. */
public enum DeliveryScope {
    /** One shared subscription: exactly one instance runs each tick. */
    ONE,
    /** A subscription per instance: every instance runs each tick (log rotation, cache cleanup). */
    ALL
}
