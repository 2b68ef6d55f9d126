package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.Topic;

import java.time.Duration;

/** Validates a topic's configuration within Cloud Pub/Sub's ranges. */
final class TopicRules {

    static final Duration MAX_TOPIC_RETENTION = Duration.ofDays(31);

    private TopicRules() {
    }

    static Topic normalize(Topic requested) {
        ResourceNames.requireTopic(requested.getName());
        if (requested.hasMessageRetentionDuration()) {
            SubscriptionRules.requireWithin(Durations.of(requested.getMessageRetentionDuration()),
                    SubscriptionRules.MIN_RETENTION, MAX_TOPIC_RETENTION, "message_retention_duration");
        }
        return requested;
    }
}
