package io.cronexecutor.pubsub;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.util.Durations;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.ExpirationPolicy;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
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
            for (Map.Entry<JobDefinition, ApiFuture<Subscription>> lookup : lookups.entrySet()) {
                JobDefinition job = lookup.getKey();
                Subscription wanted = desired(job, subscriptions.get(job.name()));
                Optional<Subscription> existing = existing(lookup.getValue(), wanted.getName());
                if (existing.isPresent()) {
                    reportDifferences(job, existing.get(), wanted);
                } else {
                    ensureTopic(topicAdmin, job.topic(), job);
                    job.delivery().deadLetterTopic().ifPresent(t -> ensureTopic(topicAdmin, t, job));
                    create(subscriptionAdmin, job, wanted);
                }
            }
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

    private void ensureTopic(TopicAdminClient topics, String topicId, JobDefinition job) {
        String name = clients.topic(topicId).toString();
        try {
            topics.getTopic(name);
        } catch (NotFoundException missing) {
            try {
                topics.createTopic(name);
                LOG.info(() -> "Created topic " + name + " for job " + job.name());
            } catch (AlreadyExistsException raced) {
                // another instance of the fleet created it first
            }
        }
    }

    private static void create(SubscriptionAdminClient subscriptions, JobDefinition job, Subscription wanted) {
        try {
            subscriptions.createSubscription(wanted);
            LOG.info(() -> "Created subscription " + wanted.getName() + " for job " + job.name());
        } catch (AlreadyExistsException raced) {
            // another instance of the fleet created it first
        }
    }

    Subscription desired(JobDefinition job, String subscriptionId) {
        Subscription.Builder wanted = Subscription.newBuilder()
                .setName(clients.subscription(subscriptionId).toString())
                .setTopic(clients.topic(job.topic()).toString())
                .setAckDeadlineSeconds((int) job.ackDeadline().toSeconds())
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
        if (!differences.isEmpty()) {
            LOG.warning("Subscription " + existing.getName() + " of job " + job.name() + " differs from the configuration ("
                    + String.join("; ", differences) + "); it is left as it is: change it with gcloud, or delete it"
                    + " (losing its waiting ticks) to have it recreated");
        }
    }
}
