package io.cronexecutor.job;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a job's ticks come from.
 *
 * @param topic               the topic ticks are published to
 * @param subscription        the subscription pulled; with {@link DeliveryScope#ALL} the instance id is appended
 * @param scope               one VM of the fleet per tick, or every VM
 * @param ackDeadline         ack deadline of a subscription created by this service, and the cap of each lease renewal
 * @param deadLetterTopic     where a tick goes after {@code maxDeliveryAttempts} failed deliveries
 * @param maxDeliveryAttempts the delivery attempts before dead-lettering (with a dead-letter topic only)
 * @param exactlyOnce         whether a subscription created by this service has exactly-once delivery
 */
public record SubscriptionSpec(String topic, String subscription, DeliveryScope scope, Duration ackDeadline,
                               Optional<String> deadLetterTopic, Optional<Integer> maxDeliveryAttempts,
                               boolean exactlyOnce) {

    public SubscriptionSpec withExactlyOnce(boolean value) {
        return new SubscriptionSpec(topic, subscription, scope, ackDeadline, deadLetterTopic, maxDeliveryAttempts, value);
    }

    public static SubscriptionSpec shared(String topic, String subscription, Duration ackDeadline) {
        return new SubscriptionSpec(topic, subscription, DeliveryScope.ONE, ackDeadline, Optional.empty(), Optional.empty(), false);
    }
}
