package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages of one subscription: waiting ones, and leased ones with their deadlines. All state
 * changes happen under this object's lock, so a message is never leased to two receivers at once.
 */
final class SubscriptionState {

    private static final AtomicLong ACK_SEQUENCE = new AtomicLong();

    private final String name;
    private final String topic;
    private final int ackDeadlineSeconds;
    private final NanoClock clock;

    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final Map<String, Lease> leasesByAckId = new LinkedHashMap<>();
    private final List<Delivery> receivers = new ArrayList<>();
    private int nextReceiver;

    private long published;
    private long deliveries;
    private long redeliveries;
    private long leaseExpiries;
    private long nacks;
    private long deadlineRenewals;
    private long acks;

    /** A message waiting for delivery, with how many times it was delivered before. */
    private record Waiting(PubsubMessage message, int attempts) {
    }

    private static final class Lease {
        final PubsubMessage message;
        final String ackId;
        final int attempt;
        final Delivery holder;
        long deadlineNanos;

        Lease(PubsubMessage message, String ackId, int attempt, Delivery holder, long deadlineNanos) {
            this.message = message;
            this.ackId = ackId;
            this.attempt = attempt;
            this.holder = holder;
            this.deadlineNanos = deadlineNanos;
        }
    }

    SubscriptionState(String name, String topic, int ackDeadlineSeconds, NanoClock clock) {
        this.name = name;
        this.topic = topic;
        this.ackDeadlineSeconds = ackDeadlineSeconds;
        this.clock = clock;
    }

    String name() {
        return name;
    }

    String topic() {
        return topic;
    }

    int ackDeadlineSeconds() {
        return ackDeadlineSeconds;
    }

    synchronized void publish(PubsubMessage message) {
        published++;
        waiting.addLast(new Waiting(message, 0));
        dispatch();
    }

    synchronized void attach(Delivery receiver) {
        receivers.add(receiver);
        dispatch();
    }

    synchronized void detach(Delivery receiver) {
        receivers.remove(receiver);
    }

    /** Leases up to {@code max} waiting messages to a unary Pull, under the subscription's deadline. */
    synchronized List<ReceivedMessage> pull(int max) {
        List<ReceivedMessage> out = new ArrayList<>();
        while (out.size() < max && !waiting.isEmpty()) {
            out.add(lease(waiting.pollFirst(), null, ackDeadlineSeconds));
        }
        return out;
    }

    synchronized void acknowledge(List<String> ackIds) {
        for (String ackId : ackIds) {
            Lease lease = leasesByAckId.remove(ackId);
            if (lease != null) {
                acks++;
                forget(lease);
            }
        }
        dispatch();
    }

    /** Extends leases, or with 0 seconds hands them back for immediate redelivery (a nack). */
    synchronized void modifyAckDeadline(List<String> ackIds, int seconds) {
        long now = clock.nanoTime();
        for (String ackId : ackIds) {
            Lease lease = leasesByAckId.get(ackId);
            if (lease == null) {
                continue; // acked, expired or superseded: Pub/Sub ignores it outside exactly-once mode
            }
            if (seconds == 0) {
                nacks++;
                release(lease);
            } else {
                deadlineRenewals++;
                lease.deadlineNanos = now + TimeUnit.SECONDS.toNanos(seconds);
            }
        }
        dispatch();
    }

    /** Hands every lapsed lease back for redelivery; returns how many lapsed. */
    synchronized int expireLeases() {
        long now = clock.nanoTime();
        List<Lease> lapsed = new ArrayList<>();
        for (Lease lease : leasesByAckId.values()) {
            if (now - lease.deadlineNanos >= 0) {
                lapsed.add(lease);
            }
        }
        for (Lease lease : lapsed) {
            leaseExpiries++;
            release(lease);
        }
        if (!lapsed.isEmpty()) {
            dispatch();
        }
        return lapsed.size();
    }

    synchronized SubscriptionStats stats() {
        return new SubscriptionStats(published, deliveries, redeliveries, leaseExpiries, nacks,
                deadlineRenewals, acks, waiting.size(), leasesByAckId.size());
    }

    /** Pushes waiting messages to attached receivers, round-robin, within each one's flow control. */
    private void dispatch() {
        int idle = 0;
        while (!waiting.isEmpty() && !receivers.isEmpty() && idle < receivers.size()) {
            nextReceiver = nextReceiver % receivers.size();
            Delivery receiver = receivers.get(nextReceiver++);
            Waiting next = waiting.peekFirst();
            int size = next.message().getSerializedSize();
            if (!receiver.accepts(size)) {
                idle++;
                continue;
            }
            idle = 0;
            waiting.pollFirst();
            receiver.send(List.of(lease(next, receiver, receiver.ackDeadlineSeconds())));
        }
    }

    private ReceivedMessage lease(Waiting next, Delivery holder, int deadlineSeconds) {
        int attempt = next.attempts() + 1;
        deliveries++;
        if (attempt > 1) {
            redeliveries++;
        }
        String ackId = name.hashCode() + "-" + next.message().getMessageId() + "-" + attempt + "-"
                + ACK_SEQUENCE.incrementAndGet();
        Lease lease = new Lease(next.message(), ackId, attempt, holder,
                clock.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSeconds));
        leasesByAckId.put(ackId, lease);
        if (holder != null) {
            holder.leased(next.message().getSerializedSize());
        }
        return ReceivedMessage.newBuilder()
                .setAckId(ackId)
                .setMessage(next.message())
                .setDeliveryAttempt(attempt)
                .build();
    }

    /** Ends a lease without an ack: the message goes back to the front of the queue. */
    private void release(Lease lease) {
        leasesByAckId.remove(lease.ackId);
        forget(lease);
        waiting.addFirst(new Waiting(lease.message, lease.attempt));
    }

    private void forget(Lease lease) {
        if (lease.holder != null) {
            lease.holder.released(lease.message.getSerializedSize());
        }
    }

    /** Drops every receiver; used when the subscription is deleted. */
    synchronized List<Delivery> clearReceivers() {
        List<Delivery> all = List.copyOf(receivers);
        receivers.clear();
        Iterator<Lease> it = leasesByAckId.values().iterator();
        while (it.hasNext()) {
            Lease lease = it.next();
            it.remove();
            forget(lease);
        }
        waiting.clear();
        return all;
    }
}
