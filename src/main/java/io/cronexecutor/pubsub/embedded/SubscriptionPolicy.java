package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.Subscription;

import java.time.Duration;

/**
 * The delivery rules of one subscription, read once from its (validated) configuration.
 *
 * @param maxDeliveryAttempts 0 when the subscription has no dead-letter policy
 * @param minBackoff          {@code null} when the subscription has no retry policy (redeliver at once)
 */
record SubscriptionPolicy(
        int ackDeadlineSeconds,
        Duration retention,
        String deadLetterTopic,
        int maxDeliveryAttempts,
        Duration minBackoff,
        Duration maxBackoff,
        boolean exactlyOnce,
        boolean ordered) {

    static SubscriptionPolicy of(Subscription config) {
        return new SubscriptionPolicy(
                config.getAckDeadlineSeconds(),
                Durations.of(config.getMessageRetentionDuration()),
                config.hasDeadLetterPolicy() ? config.getDeadLetterPolicy().getDeadLetterTopic() : "",
                config.hasDeadLetterPolicy() ? config.getDeadLetterPolicy().getMaxDeliveryAttempts() : 0,
                config.hasRetryPolicy() ? Durations.of(config.getRetryPolicy().getMinimumBackoff()) : null,
                config.hasRetryPolicy() ? Durations.of(config.getRetryPolicy().getMaximumBackoff()) : null,
                config.getEnableExactlyOnceDelivery(),
                config.getEnableMessageOrdering());
    }

    boolean deadLetters() {
        return !deadLetterTopic.isEmpty();
    }

    /**
     * How long a message handed back after its {@code attempt}-th delivery waits before the next:
     * doubling from the minimum, capped at the maximum, as Cloud Pub/Sub's exponential retry policy.
     */
    Duration backoffAfter(int attempt) {
        if (minBackoff == null) {
            return Duration.ZERO;
        }
        Duration backoff = minBackoff;
        for (int i = 1; i < attempt && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
