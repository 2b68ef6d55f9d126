package io.cronexecutor.run;

import java.time.Instant;
import java.util.Map;

/**
 * A delivered tick, as the dispatcher needs it.
 *
 * @param messageId       the Pub/Sub message id
 * @param data            the message data, given to the command on stdin
 * @param attributes      the message attributes, given to the command as CRON_ATTR_* variables
 * @param publishTime     when the broker accepted it
 * @param deliveryAttempt which delivery this is (1 for the first; 0 if the broker did not say)
 */
public record Tick(String messageId, byte[] data, Map<String, String> attributes, Instant publishTime,
                   int deliveryAttempt) {

    public Tick {
        attributes = Map.copyOf(attributes);
    }

    /**
     * Which message this is, across redeliveries: its id and publish time, since a broker that
     * keeps nothing across a restart (an emulator) numbers its messages from 1 again.
     */
    public String identity() {
        return messageId + "@" + publishTime.toEpochMilli();
    }
}
