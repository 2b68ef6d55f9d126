package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery rules on a fake clock: no sleeping. */
class SubscriptionStateTest {

    private final ManualTime time = new ManualTime();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final RetainedBytes retained = new RetainedBytes(Long.MAX_VALUE);
    private SubscriptionState state = subscription(b -> b);
    private long sequence;

    private SubscriptionState subscription(UnaryOperator<Subscription.Builder> settings) {
        Subscription config = SubscriptionRules.normalize(settings.apply(Subscription.newBuilder()
                .setName("projects/p/subscriptions/sub").setTopic("projects/p/topics/top").setAckDeadlineSeconds(10)).build());
        return new SubscriptionState(config, time, time, MessageStore.NONE, retained, deadLetters::add);
    }

    private void publish(String id) {
        publish(id, "");
    }

    private void publish(String id, String orderingKey) {
        Instant now = time.instant();
        state.publish(++sequence, PubsubMessage.newBuilder().setMessageId(id).setData(ByteString.copyFromUtf8("x"))
                .setOrderingKey(orderingKey)
                .setPublishTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build());
    }

    private ReceivedMessage pullOne() {
        List<ReceivedMessage> got = state.pull(1);
        assertEquals(1, got.size(), "one message deliverable");
        return got.get(0);
    }

    /** A receiver that takes whatever its budget allows and remembers it. */
    private static final class Receiver implements Delivery {
        final List<ReceivedMessage> got = new ArrayList<>();
        final int budget;
        int outstanding;

        Receiver(int budget) {
            this.budget = budget;
        }

        @Override
        public boolean accepts(int bytes) {
            return outstanding < budget;
        }

        @Override
        public void leased(int bytes) {
            outstanding++;
        }

        @Override
        public void released(int bytes) {
            outstanding--;
        }

        @Override
        public void send(List<ReceivedMessage> messages) {
            got.addAll(messages);
        }

        @Override
        public int ackDeadlineSeconds() {
            return 20;
        }
    }

    @Test
    void leaseLapsesExactlyAtItsDeadline() {
        publish("1");
        ReceivedMessage first = pullOne();
        time.advanceSeconds(9);
        assertEquals(0, state.expireLeases());
        assertTrue(state.pull(1).isEmpty());
        time.advanceSeconds(1);
        assertEquals(1, state.expireLeases());
        ReceivedMessage again = pullOne();
        assertEquals("1", again.getMessage().getMessageId());
        assertEquals(2, again.getDeliveryAttempt());
        assertEquals(first.getMessage(), again.getMessage());
    }

    @Test
    void renewalPushesTheDeadlineFromNow() {
        publish("1");
        ReceivedMessage leased = pullOne();
        for (int i = 0; i < 10; i++) {
            time.advanceSeconds(8);
            state.modifyAckDeadline(List.of(leased.getAckId()), 10);
            assertEquals(0, state.expireLeases(), "renewed at " + (i + 1) * 8 + " s");
        }
        state.acknowledge(List.of(leased.getAckId()));
        SubscriptionStats stats = state.stats();
        assertEquals(10, stats.deadlineRenewals());
        assertEquals(1, stats.acks());
        assertEquals(0, stats.outstanding());
    }

    @Test
    void streamReceiversShareMessagesWithinTheirFlowControlAndUseTheStreamDeadline() {
        Receiver a = new Receiver(2);
        Receiver b = new Receiver(1);
        state.attach(a);
        state.attach(b);
        for (int i = 1; i <= 5; i++) {
            publish(Integer.toString(i));
        }
        assertEquals(2, a.got.size());
        assertEquals(1, b.got.size());
        assertEquals(2, state.stats().pending(), "the rest wait for capacity");

        state.acknowledge(List.of(b.got.get(0).getAckId()));
        assertEquals(2, b.got.size(), "freed capacity takes the next message");

        time.advanceSeconds(19);
        assertEquals(0, state.expireLeases(), "stream deadline of 20 s, not the subscription's 10 s");
        time.advanceSeconds(1);
        assertEquals(3, state.expireLeases(), "every lease held by the two receivers lapses");
    }

    @Test
    void staleAckIdOfARedeliveredMessageIsReportedAndDoesNotSettleTheNewLease() {
        publish("1");
        ReceivedMessage first = pullOne();
        state.modifyAckDeadline(List.of(first.getAckId()), 0);
        ReceivedMessage second = pullOne();
        assertEquals(Set.of(first.getAckId()), state.acknowledge(List.of(first.getAckId())));
        assertEquals(1, state.stats().outstanding(), "the old ack id does not settle the new lease");
        assertEquals(Set.of(first.getAckId()), state.modifyAckDeadline(List.of(first.getAckId()), 30));
        assertEquals(Set.of(), state.acknowledge(List.of(second.getAckId())));
        assertEquals(0, state.stats().outstanding());
        assertEquals(1, state.stats().nacks());
        assertEquals(2, state.stats().invalidAckIds());
    }

    @Test
    void nackedMessageWaitsOutAnExponentialBackoff() {
        state = subscription(b -> b.setRetryPolicy(RetryPolicy.newBuilder()
                .setMinimumBackoff(com.google.protobuf.Duration.newBuilder().setSeconds(10))
                .setMaximumBackoff(com.google.protobuf.Duration.newBuilder().setSeconds(25))));
        publish("1");
        long[] expectedBackoffs = {10, 20, 25, 25};
        for (int attempt = 1; attempt <= expectedBackoffs.length; attempt++) {
            ReceivedMessage leased = pullOne();
            assertEquals(attempt, leased.getDeliveryAttempt());
            state.modifyAckDeadline(List.of(leased.getAckId()), 0);
            time.advanceSeconds(expectedBackoffs[attempt - 1] - 1);
            state.sweep();
            assertTrue(state.pull(1).isEmpty(), "still backing off after attempt " + attempt);
            time.advanceSeconds(1);
            state.sweep();
        }
        assertEquals(5, pullOne().getDeliveryAttempt());
    }

    @Test
    void lapsedLeaseAlsoWaitsOutTheBackoff() {
        state = subscription(b -> b.setRetryPolicy(RetryPolicy.newBuilder()
                .setMinimumBackoff(com.google.protobuf.Duration.newBuilder().setSeconds(30))));
        publish("1");
        pullOne();
        time.advanceSeconds(10);
        state.sweep();
        assertEquals(1, state.stats().leaseExpiries());
        assertTrue(state.pull(1).isEmpty());
        time.advanceSeconds(30);
        state.sweep();
        assertEquals(2, pullOne().getDeliveryAttempt());
    }

    @Test
    void messageIsDeadLetteredOnceItUsedUpItsDeliveryAttempts() {
        state = subscription(b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic("projects/p/topics/dead").setMaxDeliveryAttempts(5)));
        publish("1");
        for (int attempt = 1; attempt <= 4; attempt++) {
            state.modifyAckDeadline(List.of(pullOne().getAckId()), 0);
            assertTrue(deadLetters.isEmpty(), "not yet after attempt " + attempt);
        }
        ReceivedMessage last = pullOne();
        assertEquals(5, last.getDeliveryAttempt());
        time.advanceSeconds(10);
        state.sweep();

        assertEquals(1, deadLetters.size(), "a lapsed lease counts as a failed attempt too");
        DeadLetter letter = deadLetters.get(0);
        assertEquals("projects/p/topics/dead", letter.topic());
        assertEquals("5", letter.message().getAttributesOrThrow("CloudPubSubDeadLetterSourceDeliveryCount"));
        assertEquals("sub", letter.message().getAttributesOrThrow("CloudPubSubDeadLetterSourceSubscription"));
        assertTrue(state.pull(1).isEmpty());
        assertEquals(1, state.stats().deadLettered());
    }

    @Test
    void unackedMessagesOlderThanTheRetentionAreDropped() {
        state = subscription(b -> b.setMessageRetentionDuration(com.google.protobuf.Duration.newBuilder().setSeconds(600)));
        publish("old");
        time.advanceSeconds(300);
        publish("young");
        time.advanceSeconds(301);
        state.sweep();
        assertEquals("young", pullOne().getMessage().getMessageId());
        assertEquals(1, state.stats().retentionDrops());
        assertEquals(0, state.stats().pending());
    }

    @Test
    void orderedSubscriptionHoldsBackAKeyWhileOneOfItsMessagesIsOut() {
        state = subscription(b -> b.setEnableMessageOrdering(true));
        publish("a1", "a");
        publish("a2", "a");
        publish("b1", "b");
        List<ReceivedMessage> first = state.pull(10);
        assertEquals(List.of("a1", "b1"), first.stream().map(m -> m.getMessage().getMessageId()).toList());
        state.acknowledge(List.of(first.get(0).getAckId()));
        assertEquals("a2", pullOne().getMessage().getMessageId());
    }
}
