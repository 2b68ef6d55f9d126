package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.PubsubMessage;

/** A message a subscription gave up on, to be published to its dead-letter topic. */
record DeadLetter(String topic, PubsubMessage message) {
}
