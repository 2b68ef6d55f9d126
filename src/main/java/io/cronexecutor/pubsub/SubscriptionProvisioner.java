package io.cronexecutor.pubsub;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.pubsub.v1.Subscription;
import io.cronexecutor.job.JobDefinition;

import java.util.logging.Logger;

/**
 * Makes sure each job's topic and subscription exist. It only ever creates: an existing
 * subscription is kept as it is, because deleting or recreating it would drop the ticks that
 * were published while this instance was down.
 */
public final class SubscriptionProvisioner {

    private static final Logger LOG = Logger.getLogger(SubscriptionProvisioner.class.getName());

    private final PubSubClients clients;

    public SubscriptionProvisioner(PubSubClients clients) {
        this.clients = clients;
    }

    public void provision(Iterable<JobDefinition> jobs) {
        try (TopicAdminClient topics = clients.topicAdmin();
             SubscriptionAdminClient subscriptions = clients.subscriptionAdmin()) {
            for (JobDefinition job : jobs) {
                ensureTopic(topics, job);
                ensureSubscription(subscriptions, job);
            }
        }
    }

    private void ensureTopic(TopicAdminClient topics, JobDefinition job) {
        String name = clients.topic(job.topic()).toString();
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

    private void ensureSubscription(SubscriptionAdminClient subscriptions, JobDefinition job) {
        String name = clients.subscription(job.subscription()).toString();
        try {
            Subscription existing = subscriptions.getSubscription(name);
            if (!existing.getTopic().equals(clients.topic(job.topic()).toString())) {
                throw new IllegalStateException("jobs." + job.name() + ".subscription = '" + job.subscription()
                        + "': that subscription exists but is attached to " + existing.getTopic()
                        + ", not to " + clients.topic(job.topic()));
            }
        } catch (NotFoundException missing) {
            try {
                subscriptions.createSubscription(Subscription.newBuilder()
                        .setName(name)
                        .setTopic(clients.topic(job.topic()).toString())
                        .setAckDeadlineSeconds((int) job.ackDeadline().toSeconds())
                        .build());
                LOG.info(() -> "Created subscription " + name + " for job " + job.name());
            } catch (AlreadyExistsException raced) {
                // another instance of the fleet created it first
            }
        }
    }
}
