package io.cronexecutor.pubsub.embedded;

import io.grpc.Status;

import java.util.regex.Pattern;

/** Checks {@code projects/P/topics/T} and {@code projects/P/subscriptions/S} the way Cloud Pub/Sub does. */
final class ResourceNames {

    /** What a subscription's topic reads as once the topic is deleted, as in Cloud Pub/Sub. */
    static final String DELETED_TOPIC = "_deleted-topic_";

    private static final String ID = "[A-Za-z][A-Za-z0-9\\-_.~+%]{2,254}";
    private static final Pattern TOPIC = Pattern.compile("projects/[^/]+/topics/" + ID);
    private static final Pattern SUBSCRIPTION = Pattern.compile("projects/[^/]+/subscriptions/" + ID);

    private ResourceNames() {
    }

    static void requireTopic(String name) {
        if (!TOPIC.matcher(name).matches() || name.contains("/topics/goog")) {
            throw Status.INVALID_ARGUMENT.withDescription("Invalid [topics] name: (name=" + name + ")").asRuntimeException();
        }
    }

    static void requireSubscription(String name) {
        if (!SUBSCRIPTION.matcher(name).matches() || name.contains("/subscriptions/goog")) {
            throw Status.INVALID_ARGUMENT.withDescription("Invalid [subscriptions] name: (name=" + name + ")").asRuntimeException();
        }
    }

    static String project(String parent) {
        if (!parent.matches("projects/[^/]+")) {
            throw Status.INVALID_ARGUMENT.withDescription("Invalid [projects] name: (name=" + parent + ")").asRuntimeException();
        }
        return parent;
    }
}
