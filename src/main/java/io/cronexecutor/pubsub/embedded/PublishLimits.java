package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.PubsubMessage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Cloud Pub/Sub's publish quotas, checked before anything is stored. */
final class PublishLimits {

    static final int MAX_MESSAGES_PER_REQUEST = 1000;
    static final int MAX_REQUEST_BYTES = 10 * 1000 * 1000;
    static final int MAX_MESSAGE_BYTES = 10 * 1000 * 1000;
    static final int MAX_ATTRIBUTES = 100;
    static final int MAX_ATTRIBUTE_KEY_BYTES = 256;
    static final int MAX_ATTRIBUTE_VALUE_BYTES = 1024;
    static final int MAX_ORDERING_KEY_BYTES = 1024;

    private PublishLimits() {
    }

    static void check(List<PubsubMessage> messages) {
        if (messages.isEmpty()) {
            throw SubscriptionRules.invalid("The request contains no messages");
        }
        if (messages.size() > MAX_MESSAGES_PER_REQUEST) {
            throw SubscriptionRules.invalid("The request contains " + messages.size()
                    + " messages; at most " + MAX_MESSAGES_PER_REQUEST + " are allowed");
        }
        long total = 0;
        for (PubsubMessage message : messages) {
            int size = message.getSerializedSize();
            total += size;
            if (size > MAX_MESSAGE_BYTES) {
                throw SubscriptionRules.invalid("A message is " + size + " bytes; the limit is " + MAX_MESSAGE_BYTES);
            }
            if (message.getData().isEmpty() && message.getAttributesCount() == 0) {
                throw SubscriptionRules.invalid("A message must have data or at least one attribute");
            }
            if (message.getAttributesCount() > MAX_ATTRIBUTES) {
                throw SubscriptionRules.invalid("A message has " + message.getAttributesCount()
                        + " attributes; at most " + MAX_ATTRIBUTES + " are allowed");
            }
            for (Map.Entry<String, String> attribute : message.getAttributesMap().entrySet()) {
                if (utf8(attribute.getKey()) > MAX_ATTRIBUTE_KEY_BYTES || attribute.getKey().isEmpty()) {
                    throw SubscriptionRules.invalid("Attribute key must be 1 to " + MAX_ATTRIBUTE_KEY_BYTES + " bytes");
                }
                if (utf8(attribute.getValue()) > MAX_ATTRIBUTE_VALUE_BYTES) {
                    throw SubscriptionRules.invalid("Attribute value of " + attribute.getKey() + " exceeds "
                            + MAX_ATTRIBUTE_VALUE_BYTES + " bytes");
                }
            }
            if (utf8(message.getOrderingKey()) > MAX_ORDERING_KEY_BYTES) {
                throw SubscriptionRules.invalid("Ordering key exceeds " + MAX_ORDERING_KEY_BYTES + " bytes");
            }
        }
        if (total > MAX_REQUEST_BYTES) {
            throw SubscriptionRules.invalid("The request is " + total + " bytes; the limit is " + MAX_REQUEST_BYTES);
        }
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
