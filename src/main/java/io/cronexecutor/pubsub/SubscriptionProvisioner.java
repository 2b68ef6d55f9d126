package io.cronexecutor.pubsub;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.common.collect.Lists;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.util.Durations;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.ExpirationPolicy;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.GetTopicRequest;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.cronexecutor.job.DeliveryScope;
import io.cronexecutor.job.JobDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

/**
 * Makes sure each job's topic and subscription exist. It only ever creates: an existing
 * subscription is kept as it is (a difference from the configuration is logged), because
 * deleting or recreating it would drop the ticks published while this instance was down.
 */
public final class SubscriptionProvisioner {

    private static final Logger LOG = Logger.getLogger(SubscriptionProvisioner.class.getName());
    /** Backoff between redeliveries of a handed-back tick, so a failing job does not spin. */
    static final com.google.protobuf.Duration MIN_BACKOFF = Durations.fromSeconds(10);
    static final com.google.protobuf.Duration MAX_BACKOFF = Durations.fromSeconds(600);
    /** A per-instance subscription of an instance that is gone is deleted by Pub/Sub after this long unused. */
    static final com.google.protobuf.Duration PER_INSTANCE_TTL = Durations.fromDays(2);
    /** Admin calls in flight at once while creating what is missing. */
    static final int IN_FLIGHT = 100;

    private final PubSubClients clients;

    public SubscriptionProvisioner(PubSubClients clients) {
        this.clients = clients;
    }

    /** The subscription this instance pulls for the job: shared, or its own for {@code delivery=all}. */
    public static String subscriptionFor(JobDefinition job, String instanceId) {
        if (job.delivery().scope() == DeliveryScope.ONE) {
            return job.subscription();
        }
        String suffix = instanceId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9\\-_.~+%]", "-");
        String name = job.subscription() + "." + suffix;
        return name.length() <= 255 ? name : name.substring(0, 255);
    }

    /**
     * Creates what is missing; returns each job's subscription id for this instance. The existing
     * subscriptions are looked up all at once, since on a restart all of them exist and a
     * thousand sequential round trips would hold readiness back by seconds.
     */
    public Map<String, String> provision(Iterable<JobDefinition> jobs, String instanceId) {
        Map<String, String> subscriptions = new LinkedHashMap<>();
        try (TopicAdminClient topicAdmin = clients.topicAdmin();
             SubscriptionAdminClient subscriptionAdmin = clients.subscriptionAdmin()) {
            Map<JobDefinition, ApiFuture<Subscription>> lookups = new LinkedHashMap<>();
            for (JobDefinition job : jobs) {
                String subscription = subscriptionFor(job, instanceId);
                subscriptions.put(job.name(), subscription);
                lookups.put(job, subscriptionAdmin.getSubscriptionCallable().futureCall(GetSubscriptionRequest.newBuilder()
                        .setSubscription(clients.subscription(subscription).toString()).build()));
            }
            Map<JobDefinition, Subscription> missing = new LinkedHashMap<>();
            for (Map.Entry<JobDefinition, ApiFuture<Subscription>> lookup : lookups.entrySet()) {
                JobDefinition job = lookup.getKey();
                Subscription wanted = desired(job, subscriptions.get(job.name()));
                Optional<Subscription> existing = existing(lookup.getValue(), wanted.getName());
                if (existing.isPresent()) {
                    reportDifferences(job, existing.get(), wanted);
                } else {
                    missing.put(job, wanted);
                }
            }
            ensureTopics(topicAdmin, missing.keySet());
            createSubscriptions(subscriptionAdmin, missing);
        }
        return subscriptions;
    }

    private static Optional<Subscription> existing(ApiFuture<Subscription> lookup, String name) {
        try {
            return Optional.of(lookup.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotFoundException) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot look up subscription " + name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up subscription " + name, e);
        }
    }

    /**
     * Topics first, since a subscription needs its topic. Both go out {@link #IN_FLIGHT} at a time:
     * on a first start with 1,000 jobs one after another took about 9 s, and an unbounded burst
     * could run into Cloud Pub/Sub's administrative quota. Results are logged here rather than
     * in the calls' callbacks, which run on gRPC's shared executor and would hold its threads
     * on the log.
     */
    private void ensureTopics(TopicAdminClient topics, Iterable<JobDefinition> jobs) {
        Map<String, JobDefinition> needed = new LinkedHashMap<>();
        for (JobDefinition job : jobs) {
            needed.putIfAbsent(clients.topic(job.topic()).toString(), job);
            job.delivery().deadLetterTopic().ifPresent(t -> needed.putIfAbsent(clients.topic(t).toString(), job));
        }
        for (List<Map.Entry<String, JobDefinition>> batch : Lists.partition(List.copyOf(needed.entrySet()), IN_FLIGHT)) {
            Map<Map.Entry<String, JobDefinition>, ApiFuture<Boolean>> ensured = new LinkedHashMap<>();
            batch.forEach(topic -> ensured.put(topic, ensureTopic(topics, topic.getKey())));
            ensured.forEach((topic, created) -> {
                if (await(created, "ensure topic " + topic.getKey())) {
                    LOG.info(() -> "Created topic " + topic.getKey() + " for job " + topic.getValue().name());
                }
            });
        }
    }

    /** True when this call created the topic. */
    private static ApiFuture<Boolean> ensureTopic(TopicAdminClient topics, String name) {
        ApiFuture<Boolean> found = ApiFutures.transform(
                topics.getTopicCallable().futureCall(GetTopicRequest.newBuilder().setTopic(name).build()),
                topic -> false, MoreExecutors.directExecutor());
        return ApiFutures.catchingAsync(found, NotFoundException.class,
                missing -> createdByUs(topics.createTopicCallable().futureCall(Topic.newBuilder().setName(name).build())),
                MoreExecutors.directExecutor());
    }

    private static void createSubscriptions(SubscriptionAdminClient subscriptions, Map<JobDefinition, Subscription> wanted) {
        for (List<Map.Entry<JobDefinition, Subscription>> batch : Lists.partition(List.copyOf(wanted.entrySet()), IN_FLIGHT)) {
            Map<Map.Entry<JobDefinition, Subscription>, ApiFuture<Boolean>> created = new LinkedHashMap<>();
            batch.forEach(entry -> created.put(entry, createdByUs(subscriptions.createSubscriptionCallable().futureCall(entry.getValue()))));
            created.forEach((entry, byUs) -> {
                if (await(byUs, "create subscription " + entry.getValue().getName())) {
                    LOG.info(() -> "Created subscription " + entry.getValue().getName() + " for job " + entry.getKey().name());
                }
            });
        }
    }

    /** True once created, false when another instance of the fleet created it first. */
    private static <T> ApiFuture<Boolean> createdByUs(ApiFuture<T> creation) {
        ApiFuture<Boolean> created = ApiFutures.transform(creation, done -> true, MoreExecutors.directExecutor());
        return ApiFutures.catching(created, AlreadyExistsException.class, raced -> false, MoreExecutors.directExecutor());
    }

    /** Waits for an admin call, failing with the client's own exception as a blocking call would. */
    private static <T> T await(ApiFuture<T> call, String what) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        }
    }

    Subscription desired(JobDefinition job, String subscriptionId) {
        Subscription.Builder wanted = Subscription.newBuilder()
                .setName(clients.subscription(subscriptionId).toString())
                .setTopic(clients.topic(job.topic()).toString())
                .setAckDeadlineSeconds((int) job.ackDeadline().toSeconds())
                .setEnableExactlyOnceDelivery(job.delivery().exactlyOnce())
                .setRetryPolicy(RetryPolicy.newBuilder().setMinimumBackoff(MIN_BACKOFF).setMaximumBackoff(MAX_BACKOFF));
        job.delivery().deadLetterTopic().ifPresent(topic -> wanted.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic(clients.topic(topic).toString())
                .setMaxDeliveryAttempts(job.delivery().maxDeliveryAttempts().orElseThrow())));
        if (job.delivery().scope() == DeliveryScope.ALL) {
            wanted.setExpirationPolicy(ExpirationPolicy.newBuilder().setTtl(PER_INSTANCE_TTL));
        }
        return wanted.build();
    }

    private static void reportDifferences(JobDefinition job, Subscription existing, Subscription wanted) {
        if (!existing.getTopic().equals(wanted.getTopic())) {
            throw new IllegalStateException("jobs." + job.name() + ".subscription = '" + job.subscription()
                    + "': that subscription exists but is attached to " + existing.getTopic() + ", not to " + wanted.getTopic());
        }
        List<String> differences = new ArrayList<>();
        if (existing.getAckDeadlineSeconds() != wanted.getAckDeadlineSeconds()) {
            differences.add("ack deadline " + existing.getAckDeadlineSeconds() + "s, configured " + wanted.getAckDeadlineSeconds() + "s");
        }
        if (!existing.getDeadLetterPolicy().equals(wanted.getDeadLetterPolicy())) {
            differences.add("dead-letter policy [" + existing.getDeadLetterPolicy().toString().trim().replace('\n', ' ')
                    + "], configured [" + wanted.getDeadLetterPolicy().toString().trim().replace('\n', ' ') + "]");
        }
        if (existing.getEnableExactlyOnceDelivery() != wanted.getEnableExactlyOnceDelivery()) {
            differences.add("exactly-once delivery " + (existing.getEnableExactlyOnceDelivery() ? "on" : "off")
                    + ", configured " + (wanted.getEnableExactlyOnceDelivery() ? "on" : "off")
                    + " (gcloud pubsub subscriptions update " + job.subscription() + " --"
                    + (wanted.getEnableExactlyOnceDelivery() ? "" : "no-") + "enable-exactly-once-delivery)");
        }
        if (!differences.isEmpty()) {
            LOG.warning("Subscription " + existing.getName() + " of job " + job.name() + " differs from the configuration ("
                    + String.join("; ", differences) + "); it is left as it is: change it with gcloud, or delete it"
                    + " (losing its waiting ticks) to have it recreated");
        }
    }
}
