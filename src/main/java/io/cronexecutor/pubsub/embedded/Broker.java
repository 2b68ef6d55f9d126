package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Topics and subscriptions of the embedded broker, independent of gRPC so the delivery rules can
 * be tested directly. Failures are gRPC {@link Status} exceptions carrying the code Cloud Pub/Sub
 * would answer with.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Broker.class.getName());
    private static final Set<String> IMMUTABLE_TOPIC_FIELDS = Set.of("name");
    private static final Set<String> IMMUTABLE_SUBSCRIPTION_FIELDS =
            Set.of("name", "topic", "filter", "enable_message_ordering", "detached", "state");

    private final Clock wallClock;
    private final NanoClock clock;
    private final MessageStore store;
    private final RetainedBytes retained;
    private final AtomicLong sequence;
    private final Map<String, Topic> topics = new TreeMap<>();
    private final Map<String, List<String>> topicSubscriptions = new TreeMap<>();
    private final Map<String, SubscriptionState> subscriptions = new TreeMap<>();
    private final Queue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();

    /** An in-memory broker on the given clocks. */
    public Broker(Clock wallClock, NanoClock clock) {
        this(new BrokerOptions(null, wallClock, clock, BrokerOptions.DEFAULT_MAX_RETAINED_BYTES));
    }

    /** A broker as the options say; a durable one takes back every topic, subscription and unacked message. */
    public Broker(BrokerOptions options) {
        this.wallClock = options.wallClock();
        this.clock = options.nanoClock();
        this.store = options.durableDir().<MessageStore>map(MvMessageStore::open).orElse(MessageStore.NONE);
        this.retained = new RetainedBytes(options.maxRetainedBytes());
        this.sequence = new AtomicLong(store.lastSequence());
        restore();
    }

    private void restore() {
        for (Topic topic : store.topics()) {
            topics.put(topic.getName(), topic);
            topicSubscriptions.put(topic.getName(), new ArrayList<>());
        }
        for (Subscription config : store.subscriptions()) {
            SubscriptionState state = newState(config);
            subscriptions.put(config.getName(), state);
            List<String> subs = topicSubscriptions.get(config.getTopic());
            if (subs != null) {
                subs.add(config.getName());
            }
            for (StoredMessage message : store.messages(config.getName())) {
                state.restore(message);
                // Never hand out an id again, even if the last sequence was not committed with the message.
                sequence.accumulateAndGet(message.sequence(), Math::max);
            }
        }
    }

    private SubscriptionState newState(Subscription config) {
        return new SubscriptionState(config, clock, wallClock, store, retained, deadLetters::add);
    }

    /**
     * Applies an administrative change under the broker's lock and commits the store outside it,
     * so concurrent calls (a thousand jobs provisioning a hundred at a time) share store commits
     * instead of queueing one each behind the lock; the caller still hears back only once its
     * change is durable. Another caller may see the change a moment before it is.
     */
    private <T> T durably(java.util.function.Supplier<T> change) {
        T result;
        synchronized (this) {
            result = change.get();
        }
        store.commit();
        return result;
    }

    // ---- topics

    public void createTopic(String topic) {
        createTopic(Topic.newBuilder().setName(topic).build());
    }

    public Topic createTopic(Topic requested) {
        return durably(() -> {
            Topic topic = TopicRules.normalize(requested);
            if (topics.containsKey(topic.getName())) {
                throw Status.ALREADY_EXISTS.withDescription("Topic already exists: " + topic.getName()).asRuntimeException();
            }
            topics.put(topic.getName(), topic);
            topicSubscriptions.put(topic.getName(), new ArrayList<>());
            store.putTopic(topic);
            return topic;
        });
    }

    public synchronized boolean hasTopic(String topic) {
        return topics.containsKey(topic);
    }

    public synchronized Topic getTopic(String name) {
        ResourceNames.requireTopic(name);
        Topic topic = topics.get(name);
        if (topic == null) {
            throw topicNotFound(name);
        }
        return topic;
    }

    public Topic updateTopic(Topic update, FieldMask mask) {
        return durably(() -> {
            Topic existing = getTopic(update.getName());
            Topic updated = TopicRules.normalize(FieldMaskUpdate.apply(existing, update, mask, IMMUTABLE_TOPIC_FIELDS));
            topics.put(updated.getName(), updated);
            store.putTopic(updated);
            return updated;
        });
    }

    public synchronized List<Topic> topics(String project) {
        return topics.values().stream().filter(t -> t.getName().startsWith(project + "/topics/")).toList();
    }

    public synchronized List<String> subscriptionsOf(String topic) {
        getTopic(topic);
        return List.copyOf(topicSubscriptions.get(topic));
    }

    public void deleteTopic(String topic) {
        durably(() -> {
            getTopic(topic);
            topics.remove(topic);
            // As in Cloud Pub/Sub, the subscriptions outlive the topic and just stop receiving.
            for (String name : topicSubscriptions.remove(topic)) {
                SubscriptionState state = subscriptions.get(name);
                state.configure(state.config().toBuilder().setTopic(ResourceNames.DELETED_TOPIC).build());
                store.putSubscription(state.config());
            }
            store.removeTopic(topic);
            return null;
        });
    }

    // ---- subscriptions

    public void createSubscription(String subscription, String topic, int ackDeadlineSeconds) {
        createSubscription(Subscription.newBuilder().setName(subscription).setTopic(topic)
                .setAckDeadlineSeconds(ackDeadlineSeconds).build());
    }

    public Subscription createSubscription(Subscription requested) {
        return durably(() -> {
            Subscription config = SubscriptionRules.normalize(requested);
            List<String> subs = topicSubscriptions.get(config.getTopic());
            if (subs == null) {
                throw topicNotFound(config.getTopic());
            }
            if (subscriptions.containsKey(config.getName())) {
                throw Status.ALREADY_EXISTS.withDescription("Subscription already exists: " + config.getName()).asRuntimeException();
            }
            requireDeadLetterTopic(config);
            subscriptions.put(config.getName(), newState(config));
            subs.add(config.getName());
            store.putSubscription(config);
            return config;
        });
    }

    /** As Cloud Pub/Sub, a dead-letter topic must exist when the policy is set, or letters would be lost. */
    private void requireDeadLetterTopic(Subscription config) {
        if (config.hasDeadLetterPolicy() && !topics.containsKey(config.getDeadLetterPolicy().getDeadLetterTopic())) {
            throw topicNotFound(config.getDeadLetterPolicy().getDeadLetterTopic());
        }
    }

    public synchronized Optional<SubscriptionState> findSubscription(String subscription) {
        return Optional.ofNullable(subscriptions.get(subscription));
    }

    public synchronized SubscriptionState subscription(String subscription) {
        ResourceNames.requireSubscription(subscription);
        SubscriptionState state = subscriptions.get(subscription);
        if (state == null) {
            throw Status.NOT_FOUND.withDescription("Subscription does not exist: " + subscription).asRuntimeException();
        }
        return state;
    }

    public Subscription getSubscription(String subscription) {
        return subscription(subscription).config();
    }

    public Subscription updateSubscription(Subscription update, FieldMask mask) {
        return durably(() -> {
            SubscriptionState state = subscription(update.getName());
            Subscription updated = SubscriptionRules.normalize(
                    FieldMaskUpdate.apply(state.config(), update, mask, IMMUTABLE_SUBSCRIPTION_FIELDS));
            requireDeadLetterTopic(updated);
            state.configure(updated);
            store.putSubscription(updated);
            return updated;
        });
    }

    public synchronized List<Subscription> subscriptions(String project) {
        return subscriptions.values().stream().map(SubscriptionState::config)
                .filter(s -> s.getName().startsWith(project + "/subscriptions/")).toList();
    }

    public void deleteSubscription(String subscription) {
        durably(() -> {
            SubscriptionState state = subscription(subscription);
            subscriptions.remove(subscription);
            List<String> subs = topicSubscriptions.get(state.topic());
            if (subs != null) {
                subs.remove(subscription);
            }
            for (Delivery receiver : state.clearReceivers()) {
                receiver.subscriptionDeleted();
            }
            store.removeSubscription(subscription);
            return null;
        });
    }

    // ---- messages

    /** Stores the messages on every subscription of the topic; returns their ids once they are durable. */
    public List<String> publish(String topic, List<PubsubMessage> messages) {
        PublishLimits.check(messages);
        List<SubscriptionState> targets;
        synchronized (this) {
            getTopic(topic);
            targets = topicSubscriptions.get(topic).stream().map(subscriptions::get).toList();
        }
        Instant now = wallClock.instant();
        Timestamp publishTime = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        List<PubsubMessage> stored = new ArrayList<>(messages.size());
        long bytes = 0;
        for (PubsubMessage message : messages) {
            long id = sequence.incrementAndGet();
            PubsubMessage withId = message.toBuilder().setMessageId(Long.toString(id)).setPublishTime(publishTime).build();
            stored.add(withId);
            bytes += (long) withId.getSerializedSize() * targets.size();
        }
        retained.reserve(bytes);
        List<String> ids = new ArrayList<>(stored.size());
        for (PubsubMessage message : stored) {
            long id = Long.parseLong(message.getMessageId());
            for (SubscriptionState target : targets) {
                target.publish(id, message);
            }
            ids.add(message.getMessageId());
        }
        store.lastSequence(sequence.get());
        store.commit();
        return ids;
    }

    public List<ReceivedMessage> pull(String subscription, int maxMessages) {
        if (maxMessages <= 0) {
            throw Status.INVALID_ARGUMENT.withDescription("max_messages must be positive").asRuntimeException();
        }
        return subscription(subscription).pull(maxMessages);
    }

    /**
     * Acknowledges; on an exactly-once subscription an ack id that lapsed or was superseded fails
     * with the error details the client reads. Elsewhere such acks are ignored, as Cloud Pub/Sub does.
     */
    public void acknowledge(String subscription, List<String> ackIds) {
        SubscriptionState state = subscription(subscription);
        Set<String> invalid = state.acknowledge(ackIds);
        failInvalid(state, invalid);
    }

    public void modifyAckDeadline(String subscription, List<String> ackIds, int seconds) {
        if (seconds < 0 || seconds > 600) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("ack_deadline_seconds must be between 0 and 600, was " + seconds)
                    .asRuntimeException();
        }
        SubscriptionState state = subscription(subscription);
        Set<String> invalid = state.modifyAckDeadline(ackIds, seconds);
        forwardDeadLetters();
        failInvalid(state, invalid);
    }

    private static void failInvalid(SubscriptionState state, Set<String> invalid) {
        if (!invalid.isEmpty() && state.policy().exactlyOnce()) {
            throw AckIdFailures.invalid(invalid);
        }
    }

    /** Redelivers every lapsed lease; kept for callers that only care about leases. */
    public void expireLeases() {
        sweep();
    }

    /** The periodic housekeeping of every subscription (leases, backoff, retention); run by the server. */
    public void sweep() {
        List<SubscriptionState> all;
        synchronized (this) {
            all = List.copyOf(subscriptions.values());
        }
        for (SubscriptionState state : all) {
            state.sweep();
        }
        forwardDeadLetters();
    }

    /**
     * Publishes what subscriptions gave up on to their dead-letter topics, outside any
     * subscription's lock, since a dead-letter topic may feed a subscription that dead-letters back.
     */
    void forwardDeadLetters() {
        DeadLetter letter;
        while ((letter = deadLetters.poll()) != null) {
            try {
                publish(letter.topic(), List.of(letter.message()));
            } catch (StatusRuntimeException e) {
                LOG.warning("Dead letter for " + letter.topic() + " could not be published and is dropped: " + e.getStatus());
            }
        }
    }

    public SubscriptionStats stats(String subscription) {
        return subscription(subscription).stats();
    }

    /** Bytes of unacked message copies held now, against the publish bound. */
    public long retainedBytes() {
        return retained.held();
    }

    @Override
    public void close() {
        store.close();
    }

    private static StatusRuntimeException topicNotFound(String topic) {
        return Status.NOT_FOUND.withDescription("Topic does not exist: " + topic).asRuntimeException();
    }
}
