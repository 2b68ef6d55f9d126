package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import io.grpc.Status;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Topics and subscriptions of the embedded broker, independent of gRPC so the delivery rules can
 * be tested directly. Failures are gRPC {@link Status} exceptions carrying the code Cloud Pub/Sub
 * would answer with.
 */
public final class Broker {

    private final Clock wallClock;
    private final NanoClock clock;
    private final AtomicLong messageIds = new AtomicLong();
    private final Map<String, List<String>> topics = new TreeMap<>();
    private final Map<String, SubscriptionState> subscriptions = new TreeMap<>();

    public Broker(Clock wallClock, NanoClock clock) {
        this.wallClock = wallClock;
        this.clock = clock;
    }

    public synchronized void createTopic(String topic) {
        ResourceNames.requireTopic(topic);
        if (topics.putIfAbsent(topic, new ArrayList<>()) != null) {
            throw Status.ALREADY_EXISTS.withDescription("Topic already exists: " + topic).asRuntimeException();
        }
    }

    public synchronized boolean hasTopic(String topic) {
        return topics.containsKey(topic);
    }

    public synchronized List<String> topics(String project) {
        return topics.keySet().stream().filter(t -> t.startsWith(project + "/topics/")).toList();
    }

    public synchronized List<String> subscriptionsOf(String topic) {
        return List.copyOf(requireTopic(topic));
    }

    public synchronized void deleteTopic(String topic) {
        requireTopic(topic);
        topics.remove(topic);
        // As in Cloud Pub/Sub, the subscriptions outlive the topic and just stop receiving.
    }

    public synchronized void createSubscription(String subscription, String topic, int ackDeadlineSeconds) {
        ResourceNames.requireSubscription(subscription);
        ResourceNames.requireTopic(topic);
        int deadline = ackDeadlineSeconds == 0 ? 10 : ackDeadlineSeconds;
        if (deadline < 10 || deadline > 600) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("ack_deadline_seconds must be between 10 and 600, was " + ackDeadlineSeconds)
                    .asRuntimeException();
        }
        List<String> subs = requireTopic(topic);
        if (subscriptions.containsKey(subscription)) {
            throw Status.ALREADY_EXISTS.withDescription("Subscription already exists: " + subscription).asRuntimeException();
        }
        subscriptions.put(subscription, new SubscriptionState(subscription, topic, deadline, clock));
        subs.add(subscription);
    }

    public synchronized Optional<SubscriptionState> findSubscription(String subscription) {
        return Optional.ofNullable(subscriptions.get(subscription));
    }

    public synchronized SubscriptionState subscription(String subscription) {
        SubscriptionState state = subscriptions.get(subscription);
        if (state == null) {
            throw Status.NOT_FOUND.withDescription("Subscription does not exist: " + subscription).asRuntimeException();
        }
        return state;
    }

    public synchronized List<String> subscriptions(String project) {
        return subscriptions.keySet().stream().filter(s -> s.startsWith(project + "/subscriptions/")).toList();
    }

    public synchronized void deleteSubscription(String subscription) {
        SubscriptionState state = subscription(subscription);
        subscriptions.remove(subscription);
        List<String> subs = topics.get(state.topic());
        if (subs != null) {
            subs.remove(subscription);
        }
        state.clearReceivers();
    }

    /** Stores the messages on every subscription of the topic; returns their ids. */
    public List<String> publish(String topic, List<PubsubMessage> messages) {
        List<SubscriptionState> targets;
        synchronized (this) {
            targets = requireTopic(topic).stream().map(subscriptions::get).toList();
        }
        Instant now = wallClock.instant();
        Timestamp publishTime = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        List<String> ids = new ArrayList<>(messages.size());
        for (PubsubMessage message : messages) {
            if (message.getData().isEmpty() && message.getAttributesCount() == 0) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("A message must have data or at least one attribute")
                        .asRuntimeException();
            }
        }
        for (PubsubMessage message : messages) {
            String id = Long.toString(messageIds.incrementAndGet());
            PubsubMessage stored = message.toBuilder().setMessageId(id).setPublishTime(publishTime).build();
            for (SubscriptionState target : targets) {
                target.publish(stored);
            }
            ids.add(id);
        }
        return ids;
    }

    /** Redelivers every lapsed lease; run periodically by the server. */
    public void expireLeases() {
        List<SubscriptionState> all;
        synchronized (this) {
            all = List.copyOf(subscriptions.values());
        }
        for (SubscriptionState state : all) {
            state.expireLeases();
        }
    }

    public SubscriptionStats stats(String subscription) {
        return subscription(subscription).stats();
    }

    private List<String> requireTopic(String topic) {
        List<String> subs = topics.get(topic);
        if (subs == null) {
            throw Status.NOT_FOUND.withDescription("Topic does not exist: " + topic).asRuntimeException();
        }
        return subs;
    }
}
