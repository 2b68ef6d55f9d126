package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.PubsubMessage;

/**
 * An unacked message as the store keeps it for one subscription.
 *
 * @param sequence the broker-wide number the message id was made from; orders messages on restore
 * @param attempts how many times it was delivered so far
 */
record StoredMessage(long sequence, PubsubMessage message, int attempts) {
}
