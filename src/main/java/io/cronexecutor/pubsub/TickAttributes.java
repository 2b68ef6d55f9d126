package io.cronexecutor.pubsub;

/** Attributes this service sets on the ticks it publishes. Ticks from elsewhere may have none. */
public final class TickAttributes {

    /** {@code schedule} or {@code manual}; absent on ticks from Cloud Scheduler or other publishers. */
    public static final String TRIGGER = "cron-trigger";
    /** A unique id per tick, used as the run id. */
    public static final String TICK_ID = "cron-tick-id";
    /** For scheduled ticks, the instant the schedule fired for (ISO-8601). */
    public static final String SCHEDULED_TIME = "cron-scheduled-time";

    private TickAttributes() {
    }
}
