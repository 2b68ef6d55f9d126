package io.cronexecutor.pubsub.embedded;

/** Who receives leased messages: a StreamingPull stream, which the broker pushes to. */
interface Delivery {

    /** How many more messages, and bytes, this receiver accepts now under its flow control. */
    boolean accepts(int bytes);

    void leased(int bytes);

    void released(int bytes);

    /** Sends leased messages; called with the subscription's lock held, so it must not block. */
    void send(java.util.List<com.google.pubsub.v1.ReceivedMessage> messages);

    int ackDeadlineSeconds();

    /** The subscription is gone; a stream ends with NOT_FOUND, as Cloud Pub/Sub ends it. */
    default void subscriptionDeleted() {
    }
}
