package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.Duration;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Cloud Pub/Sub's defaults and ranges for subscription and topic settings. */
class SubscriptionRulesTest {

    private static Subscription normalize(UnaryOperator<Subscription.Builder> settings) {
        return SubscriptionRules.normalize(settings.apply(Subscription.newBuilder()
                .setName("projects/p/subscriptions/sub").setTopic("projects/p/topics/top")).build());
    }

    private static void assertInvalid(UnaryOperator<Subscription.Builder> settings) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> normalize(settings));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
    }

    private static Duration seconds(long s) {
        return Duration.newBuilder().setSeconds(s).build();
    }

    @Test
    void unsetSettingsTakeCloudPubSubsDefaults() {
        Subscription plain = normalize(b -> b);
        assertEquals(10, plain.getAckDeadlineSeconds());
        assertEquals(7 * 86400, plain.getMessageRetentionDuration().getSeconds());

        Subscription policies = normalize(b -> b
                .setDeadLetterPolicy(DeadLetterPolicy.newBuilder().setDeadLetterTopic("projects/p/topics/dead"))
                .setRetryPolicy(RetryPolicy.getDefaultInstance()));
        assertEquals(5, policies.getDeadLetterPolicy().getMaxDeliveryAttempts());
        assertEquals(10, policies.getRetryPolicy().getMinimumBackoff().getSeconds());
        assertEquals(600, policies.getRetryPolicy().getMaximumBackoff().getSeconds());
    }

    @Test
    void valuesOutsideCloudPubSubsRangesAreInvalidArguments() {
        assertInvalid(b -> b.setAckDeadlineSeconds(9));
        assertInvalid(b -> b.setAckDeadlineSeconds(601));
        assertInvalid(b -> b.setMessageRetentionDuration(seconds(599)));
        assertInvalid(b -> b.setMessageRetentionDuration(seconds(7 * 86400 + 1)));
        assertInvalid(b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic("projects/p/topics/dead").setMaxDeliveryAttempts(4)));
        assertInvalid(b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic("projects/p/topics/dead").setMaxDeliveryAttempts(101)));
        assertInvalid(b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder().setMaxDeliveryAttempts(5)));
        assertInvalid(b -> b.setRetryPolicy(RetryPolicy.newBuilder().setMaximumBackoff(seconds(601))));
        assertInvalid(b -> b.setRetryPolicy(RetryPolicy.newBuilder().setMinimumBackoff(seconds(60)).setMaximumBackoff(seconds(30))));
        assertInvalid(b -> b.setName("projects/p/subscriptions/goog-reserved"));
    }

    @Test
    void rangeLimitsThemselvesAreAccepted() {
        assertEquals(600, normalize(b -> b.setAckDeadlineSeconds(600)).getAckDeadlineSeconds());
        assertEquals(600, normalize(b -> b.setMessageRetentionDuration(seconds(600))).getMessageRetentionDuration().getSeconds());
        assertEquals(100, normalize(b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic("projects/p/topics/dead").setMaxDeliveryAttempts(100))).getDeadLetterPolicy().getMaxDeliveryAttempts());
        assertEquals(0, normalize(b -> b.setRetryPolicy(RetryPolicy.newBuilder().setMinimumBackoff(seconds(0))
                .setMaximumBackoff(seconds(0)))).getRetryPolicy().getMaximumBackoff().getSeconds());
    }

    @Test
    void topicRetentionMayReachThirtyOneDays() {
        Topic month = Topic.newBuilder().setName("projects/p/topics/top").setMessageRetentionDuration(seconds(31 * 86400)).build();
        assertEquals(month, TopicRules.normalize(month));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> TopicRules.normalize(
                month.toBuilder().setMessageRetentionDuration(seconds(31 * 86400 + 1)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }
}
