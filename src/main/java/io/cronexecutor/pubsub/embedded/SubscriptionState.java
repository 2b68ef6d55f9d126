package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The messages of one subscription: waiting ones, ones backing off after a nack, and leased ones
 * with their deadlines. All state changes happen under this object's lock, so a message is never
 * leased to two receivers at once.
 */
final class SubscriptionState {

    private static final AtomicLong ACK_SEQUENCE = new AtomicLong();

    private final String name;
    private final NanoClock clock;
    private final Clock wallClock;
    private final MessageStore store;
    private final RetainedBytes retained;
    private final Consumer<DeadLetter> deadLetters;
    private volatile Subscription config;
    private volatile SubscriptionPolicy policy;

    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final List<Delayed> delayed = new ArrayList<>();
    private final Map<String, Lease> leasesByAckId = new LinkedHashMap<>();
    private final Map<String, Integer> leasedOrderingKeys = new HashMap<>();
    private final List<Delivery> receivers = new ArrayList<>();
    private int nextReceiver;

    private long published;
    private long deliveries;
    private long redeliveries;
    private long leaseExpiries;
    private long nacks;
    private long deadlineRenewals;
    private long acks;
    private long deadLettered;
    private long retentionDrops;
    private long invalidAckIds;

    /** A message waiting for delivery, with how many times it was delivered before. */
    private record Waiting(long sequence, PubsubMessage message, int attempts) {
    }

    /** A handed-back message that may not be redelivered before its backoff ends. */
    private record Delayed(Waiting message, long readyAtNanos) {
    }

    private static final class Lease {
        final Waiting entry;
        final String ackId;
        final int attempt;
        final Delivery holder;
        long deadlineNanos;

        Lease(Waiting entry, String ackId, int attempt, Delivery holder, long deadlineNanos) {
            this.entry = entry;
            this.ackId = ackId;
            this.attempt = attempt;
            this.holder = holder;
            this.deadlineNanos = deadlineNanos;
        }
    }

    SubscriptionState(Subscription config, NanoClock clock, Clock wallClock, MessageStore store,
                      RetainedBytes retained, Consumer<DeadLetter> deadLetters) {
        this.name = config.getName();
        this.clock = clock;
        this.wallClock = wallClock;
        this.store = store;
        this.retained = retained;
        this.deadLetters = deadLetters;
        configure(config);
    }

    String name() {
        return name;
    }

    String topic() {
        return config.getTopic();
    }

    int ackDeadlineSeconds() {
        return policy.ackDeadlineSeconds();
    }

    Subscription config() {
        return config;
    }

    SubscriptionPolicy policy() {
        return policy;
    }

    synchronized void configure(Subscription newConfig) {
        config = newConfig;
        policy = SubscriptionPolicy.of(newConfig);
    }

    synchronized void publish(long sequence, PubsubMessage message) {
        published++;
        store.putMessage(name, sequence, message, 0);
        waiting.addLast(new Waiting(sequence, message, 0));
        dispatch();
    }

    /** Takes back a message found in the store at start-up. */
    synchronized void restore(StoredMessage stored) {
        retained.restore(stored.message().getSerializedSize());
        waiting.addLast(new Waiting(stored.sequence(), stored.message(), stored.attempts()));
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
        Waiting next;
        while (out.size() < max && (next = nextDeliverable()) != null) {
            take(next);
            out.add(lease(next, null, policy.ackDeadlineSeconds()));
        }
        return out;
    }

    /** Settles leases; returns the ack ids that named no current lease (lapsed, superseded or unknown). */
    synchronized Set<String> acknowledge(List<String> ackIds) {
        Set<String> invalid = new HashSet<>();
        for (String ackId : ackIds) {
            Lease lease = leasesByAckId.remove(ackId);
            if (lease == null) {
                invalid.add(ackId);
                continue;
            }
            acks++;
            forget(lease);
            drop(lease.entry);
        }
        invalidAckIds += invalid.size();
        dispatch();
        return invalid;
    }

    /**
     * Extends leases, or with 0 seconds hands them back for redelivery (a nack); returns the ack
     * ids that named no current lease.
     */
    synchronized Set<String> modifyAckDeadline(List<String> ackIds, int seconds) {
        long now = clock.nanoTime();
        Set<String> invalid = new HashSet<>();
        for (String ackId : ackIds) {
            Lease lease = leasesByAckId.get(ackId);
            if (lease == null) {
                invalid.add(ackId);
                continue;
            }
            if (seconds == 0) {
                nacks++;
                handBack(lease, now);
            } else {
                deadlineRenewals++;
                lease.deadlineNanos = now + TimeUnit.SECONDS.toNanos(seconds);
            }
        }
        invalidAckIds += invalid.size();
        dispatch();
        return invalid;
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
            handBack(lease, now);
        }
        if (!lapsed.isEmpty()) {
            dispatch();
        }
        return lapsed.size();
    }

    /**
     * The periodic housekeeping: lapsed leases come back, backoffs that ended release their
     * messages, and messages older than the retention are dropped.
     */
    synchronized void sweep() {
        expireLeases();
        long now = clock.nanoTime();
        boolean released = false;
        for (Iterator<Delayed> it = delayed.iterator(); it.hasNext(); ) {
            Delayed next = it.next();
            if (now - next.readyAtNanos() >= 0) {
                it.remove();
                waiting.addFirst(next.message());
                released = true;
            }
        }
        dropExpired();
        if (released) {
            dispatch();
        }
    }

    private void dropExpired() {
        Instant oldest = wallClock.instant().minus(policy.retention());
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting next = it.next();
            if (publishedBefore(next.message(), oldest)) {
                it.remove();
                retentionDrops++;
                drop(next);
            }
        }
        for (Iterator<Delayed> it = delayed.iterator(); it.hasNext(); ) {
            Delayed next = it.next();
            if (publishedBefore(next.message().message(), oldest)) {
                it.remove();
                retentionDrops++;
                drop(next.message());
            }
        }
    }

    private static boolean publishedBefore(PubsubMessage message, Instant instant) {
        Timestamp t = message.getPublishTime();
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).isBefore(instant);
    }

    synchronized SubscriptionStats stats() {
        return new SubscriptionStats(published, deliveries, redeliveries, leaseExpiries, nacks,
                deadlineRenewals, acks, waiting.size() + delayed.size(), leasesByAckId.size(),
                deadLettered, retentionDrops, invalidAckIds);
    }

    /** Pushes waiting messages to attached receivers, round-robin, within each one's flow control. */
    private void dispatch() {
        int idle = 0;
        Waiting next;
        while (!receivers.isEmpty() && idle < receivers.size() && (next = nextDeliverable()) != null) {
            nextReceiver = nextReceiver % receivers.size();
            Delivery receiver = receivers.get(nextReceiver++);
            if (!receiver.accepts(next.message().getSerializedSize())) {
                idle++;
                continue;
            }
            idle = 0;
            take(next);
            receiver.send(List.of(lease(next, receiver, receiver.ackDeadlineSeconds())));
        }
    }

    /** The first waiting message; on an ordered subscription, skipping keys with a message out. */
    private Waiting nextDeliverable() {
        if (!policy.ordered()) {
            return waiting.peekFirst();
        }
        for (Waiting candidate : waiting) {
            String key = candidate.message().getOrderingKey();
            if (key.isEmpty() || !leasedOrderingKeys.containsKey(key)) {
                return candidate;
            }
        }
        return null;
    }

    private void take(Waiting entry) {
        if (waiting.peekFirst() == entry) {
            waiting.pollFirst();
            return;
        }
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next() == entry) {
                it.remove();
                return;
            }
        }
    }

    private ReceivedMessage lease(Waiting next, Delivery holder, int deadlineSeconds) {
        int attempt = next.attempts() + 1;
        deliveries++;
        if (attempt > 1) {
            redeliveries++;
        }
        String ackId = Integer.toHexString(name.hashCode()) + "-" + next.sequence() + "-" + attempt + "-"
                + ACK_SEQUENCE.incrementAndGet();
        Waiting delivered = new Waiting(next.sequence(), next.message(), attempt);
        Lease lease = new Lease(delivered, ackId, attempt, holder,
                clock.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSeconds));
        leasesByAckId.put(ackId, lease);
        if (policy.ordered() && !next.message().getOrderingKey().isEmpty()) {
            leasedOrderingKeys.merge(next.message().getOrderingKey(), 1, Integer::sum);
        }
        // The attempt count is durable so a restart does not reset the road to the dead-letter topic.
        store.putMessage(name, next.sequence(), next.message(), attempt);
        if (holder != null) {
            holder.leased(next.message().getSerializedSize());
        }
        return ReceivedMessage.newBuilder()
                .setAckId(ackId)
                .setMessage(next.message())
                .setDeliveryAttempt(attempt)
                .build();
    }

    /**
     * Ends a lease without an ack: the message is dead-lettered once it used up its attempts,
     * otherwise it waits out the retry policy's backoff (none by default) and goes back to the front.
     */
    private void handBack(Lease lease, long now) {
        leasesByAckId.remove(lease.ackId);
        forget(lease);
        SubscriptionPolicy rules = policy;
        if (rules.deadLetters() && lease.attempt >= rules.maxDeliveryAttempts()) {
            deadLettered++;
            drop(lease.entry);
            deadLetters.accept(new DeadLetter(rules.deadLetterTopic(), deadLetterCopy(lease)));
            return;
        }
        Duration backoff = rules.backoffAfter(lease.attempt);
        if (backoff.isZero()) {
            waiting.addFirst(lease.entry);
        } else {
            delayed.add(new Delayed(lease.entry, now + backoff.toNanos()));
        }
    }

    private PubsubMessage deadLetterCopy(Lease lease) {
        PubsubMessage original = lease.entry.message();
        Timestamp published = original.getPublishTime();
        return PubsubMessage.newBuilder()
                .setData(original.getData())
                .putAllAttributes(original.getAttributesMap())
                .setOrderingKey(original.getOrderingKey())
                .putAttributes("CloudPubSubDeadLetterSourceDeliveryCount", Integer.toString(lease.attempt))
                .putAttributes("CloudPubSubDeadLetterSourceSubscription", name.substring(name.lastIndexOf('/') + 1))
                .putAttributes("CloudPubSubDeadLetterSourceSubscriptionProject", name.split("/")[1])
                .putAttributes("CloudPubSubDeadLetterSourceTopicPublishTime",
                        Instant.ofEpochSecond(published.getSeconds(), published.getNanos()).toString())
                .build();
    }

    private void forget(Lease lease) {
        if (lease.holder != null) {
            lease.holder.released(lease.entry.message().getSerializedSize());
        }
        String key = lease.entry.message().getOrderingKey();
        if (!key.isEmpty()) {
            leasedOrderingKeys.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** The message leaves the subscription for good: acked, dead-lettered or past retention. */
    private void drop(Waiting entry) {
        store.removeMessage(name, entry.sequence());
        retained.release(entry.message().getSerializedSize());
    }

    /** Drops every receiver and message; used when the subscription is deleted. */
    synchronized List<Delivery> clearReceivers() {
        List<Delivery> all = List.copyOf(receivers);
        receivers.clear();
        for (Iterator<Lease> it = leasesByAckId.values().iterator(); it.hasNext(); ) {
            Lease lease = it.next();
            it.remove();
            forget(lease);
            retained.release(lease.entry.message().getSerializedSize());
        }
        for (Waiting entry : waiting) {
            retained.release(entry.message().getSerializedSize());
        }
        for (Delayed entry : delayed) {
            retained.release(entry.message().message().getSerializedSize());
        }
        waiting.clear();
        delayed.clear();
        return all;
    }
}
