package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import io.grpc.Status;

import java.time.Duration;

/**
 * Validates a subscription's configuration within Cloud Pub/Sub's documented ranges and fills in
 * its defaults, so a configuration accepted here is accepted by Cloud Pub/Sub too.
 */
final class SubscriptionRules {

    static final int DEFAULT_ACK_DEADLINE_SECONDS = 10;
    static final Duration MIN_RETENTION = Duration.ofMinutes(10);
    static final Duration MAX_RETENTION = Duration.ofDays(7);
    static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;
    static final Duration DEFAULT_MIN_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(600);

    private SubscriptionRules() {
    }

    static Subscription normalize(Subscription requested) {
        ResourceNames.requireSubscription(requested.getName());
        if (!requested.getTopic().equals(ResourceNames.DELETED_TOPIC)) {
            ResourceNames.requireTopic(requested.getTopic());
        }
        Subscription.Builder out = requested.toBuilder();

        int deadline = requested.getAckDeadlineSeconds() == 0 ? DEFAULT_ACK_DEADLINE_SECONDS : requested.getAckDeadlineSeconds();
        requireAckDeadline(deadline, "ack_deadline_seconds");
        out.setAckDeadlineSeconds(deadline);

        Duration retention = requested.hasMessageRetentionDuration()
                ? Durations.of(requested.getMessageRetentionDuration()) : MAX_RETENTION;
        requireWithin(retention, MIN_RETENTION, MAX_RETENTION, "message_retention_duration");
        out.setMessageRetentionDuration(Durations.proto(retention));

        if (requested.hasDeadLetterPolicy()) {
            out.setDeadLetterPolicy(deadLetterPolicy(requested.getDeadLetterPolicy()));
        }
        if (requested.hasRetryPolicy()) {
            out.setRetryPolicy(retryPolicy(requested.getRetryPolicy()));
        }
        if (requested.hasPushConfig() && !requested.getPushConfig().getPushEndpoint().isEmpty()
                || requested.hasBigqueryConfig() || requested.hasCloudStorageConfig()) {
            throw Status.UNIMPLEMENTED.withDescription("the embedded broker delivers by pull only").asRuntimeException();
        }
        if (!requested.getFilter().isEmpty()) {
            throw Status.UNIMPLEMENTED.withDescription("the embedded broker does not filter messages").asRuntimeException();
        }
        return out.build();
    }

    static void requireAckDeadline(int seconds, String field) {
        if (seconds < 10 || seconds > 600) {
            throw invalid(field + " must be between 10 and 600 seconds, was " + seconds);
        }
    }

    private static DeadLetterPolicy deadLetterPolicy(DeadLetterPolicy policy) {
        if (policy.getDeadLetterTopic().isEmpty()) {
            throw invalid("dead_letter_policy.dead_letter_topic is required");
        }
        ResourceNames.requireTopic(policy.getDeadLetterTopic());
        int attempts = policy.getMaxDeliveryAttempts() == 0 ? DEFAULT_MAX_DELIVERY_ATTEMPTS : policy.getMaxDeliveryAttempts();
        if (attempts < 5 || attempts > 100) {
            throw invalid("dead_letter_policy.max_delivery_attempts must be between 5 and 100, was " + attempts);
        }
        return policy.toBuilder().setMaxDeliveryAttempts(attempts).build();
    }

    private static RetryPolicy retryPolicy(RetryPolicy policy) {
        Duration min = policy.hasMinimumBackoff() ? Durations.of(policy.getMinimumBackoff()) : DEFAULT_MIN_BACKOFF;
        Duration max = policy.hasMaximumBackoff() ? Durations.of(policy.getMaximumBackoff()) : MAX_BACKOFF;
        requireWithin(min, Duration.ZERO, MAX_BACKOFF, "retry_policy.minimum_backoff");
        requireWithin(max, Duration.ZERO, MAX_BACKOFF, "retry_policy.maximum_backoff");
        if (min.compareTo(max) > 0) {
            throw invalid("retry_policy.minimum_backoff must not exceed retry_policy.maximum_backoff");
        }
        return RetryPolicy.newBuilder().setMinimumBackoff(Durations.proto(min)).setMaximumBackoff(Durations.proto(max)).build();
    }

    static void requireWithin(Duration value, Duration min, Duration max, String field) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    static RuntimeException invalid(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
    }
}
