package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lease rules on a fake clock: no sleeping. */
class SubscriptionStateTest {

    private long now;
    private final SubscriptionState state = new SubscriptionState("projects/p/subscriptions/s", "projects/p/topics/t", 10, () -> now);

    private static PubsubMessage message(String id) {
        return PubsubMessage.newBuilder().setMessageId(id).setData(ByteString.copyFromUtf8("x")).build();
    }

    private void advanceSeconds(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
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
        state.publish(message("1"));
        ReceivedMessage first = state.pull(1).get(0);
        advanceSeconds(9);
        assertEquals(0, state.expireLeases());
        assertTrue(state.pull(1).isEmpty());
        advanceSeconds(1);
        assertEquals(1, state.expireLeases());
        ReceivedMessage again = state.pull(1).get(0);
        assertEquals("1", again.getMessage().getMessageId());
        assertEquals(2, again.getDeliveryAttempt());
        assertEquals(first.getMessage(), again.getMessage());
    }

    @Test
    void renewalPushesTheDeadlineFromNow() {
        state.publish(message("1"));
        ReceivedMessage leased = state.pull(1).get(0);
        for (int i = 0; i < 10; i++) {
            advanceSeconds(8);
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
            state.publish(message(Integer.toString(i)));
        }
        assertEquals(2, a.got.size());
        assertEquals(1, b.got.size());
        assertEquals(2, state.stats().pending(), "the rest wait for capacity");

        state.acknowledge(List.of(b.got.get(0).getAckId()));
        assertEquals(2, b.got.size(), "freed capacity takes the next message");

        advanceSeconds(19);
        assertEquals(0, state.expireLeases(), "stream deadline of 20 s, not the subscription's 10 s");
        advanceSeconds(1);
        assertEquals(3, state.expireLeases(), "every lease held by the two receivers lapses");
    }

    @Test
    void stalerAckIdOfARedeliveredMessageIsIgnored() {
        state.publish(message("1"));
        ReceivedMessage first = state.pull(1).get(0);
        state.modifyAckDeadline(List.of(first.getAckId()), 0);
        ReceivedMessage second = state.pull(1).get(0);
        state.acknowledge(List.of(first.getAckId()));
        assertEquals(1, state.stats().outstanding(), "the old ack id does not settle the new lease");
        state.acknowledge(List.of(second.getAckId()));
        assertEquals(0, state.stats().outstanding());
        assertEquals(1, state.stats().nacks());
    }
}
