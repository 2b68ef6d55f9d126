package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;

import java.util.List;

/**
 * Where the broker keeps what must survive a restart: topics, subscriptions and every unacked
 * message. Leases are deliberately not kept: after a restart every unacked message is simply
 * waiting again, as if its lease had lapsed.
 */
interface MessageStore extends AutoCloseable {

    /** Keeps nothing: the pure in-memory broker. */
    MessageStore NONE = new MessageStore() {
    };

    default void putTopic(Topic topic) {
    }

    default void removeTopic(String name) {
    }

    default List<Topic> topics() {
        return List.of();
    }

    default void putSubscription(Subscription subscription) {
    }

    /** Forgets the subscription and every message it held. */
    default void removeSubscription(String name) {
    }

    default List<Subscription> subscriptions() {
        return List.of();
    }

    default void putMessage(String subscription, long sequence, PubsubMessage message, int attempts) {
    }

    default void removeMessage(String subscription, long sequence) {
    }

    /** The subscription's unacked messages, oldest first. */
    default List<StoredMessage> messages(String subscription) {
        return List.of();
    }

    default long lastSequence() {
        return 0;
    }

    default void lastSequence(long sequence) {
    }

    /** Makes everything written so far durable; the broker calls it before it confirms a publish. */
    default void commit() {
    }

    @Override
    default void close() {
    }
}
