package io.cronexecutor.pubsub;

import com.google.api.core.ApiService;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.pubsub.v1.PubsubMessage;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.run.TickDispatcher;
import io.cronexecutor.run.TickReply;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Pulls one job's ticks with the google-cloud-pubsub {@link Subscriber} and hands them to the
 * dispatcher. The client renews each tick's lease until the dispatcher acks or nacks it.
 */
public final class JobSubscriber {

    private static final Logger LOG = Logger.getLogger(JobSubscriber.class.getName());
    static final Duration MAX_LEASE = Duration.ofHours(1);
    // Until per-job concurrency is configurable, at most this many ticks of one job are leased
    // here at once; the rest stay in the subscription for other instances.
    static final long MAX_OUTSTANDING_TICKS = 10;

    private final JobDefinition job;
    private final Subscriber subscriber;

    public JobSubscriber(JobDefinition job, PubSubClients clients, TickDispatcher dispatcher) {
        this.job = job;
        this.subscriber = clients.subscriber(job.subscription(), (message, consumer) ->
                        dispatcher.dispatch(job, message, deliveryAttempt(message), reply(consumer)))
                // Each renewal is capped at the ack deadline, so a tick held by a VM that died is
                // redelivered within one deadline instead of after a long extension.
                .setMaxDurationPerAckExtensionDuration(job.ackDeadline())
                .setMaxAckExtensionPeriodDuration(MAX_LEASE)
                .setParallelPullCount(1)
                .setFlowControlSettings(FlowControlSettings.newBuilder()
                        .setMaxOutstandingElementCount(MAX_OUTSTANDING_TICKS)
                        .build())
                .build();
        subscriber.addListener(new ApiService.Listener() {
            @Override
            public void failed(ApiService.State from, Throwable failure) {
                LOG.severe("Subscriber of job " + job.name() + " on " + job.subscription() + " failed (was "
                        + from + "): " + failure);
            }
        }, MoreExecutors.directExecutor());
    }

    public JobDefinition job() {
        return job;
    }

    public void start() {
        subscriber.startAsync();
    }

    public void awaitRunning(Duration timeout) throws TimeoutException {
        subscriber.awaitRunning(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean running() {
        return subscriber.state() == ApiService.State.RUNNING;
    }

    public String state() {
        return subscriber.state().name();
    }

    public void stop() {
        subscriber.stopAsync();
    }

    public void awaitStopped(Duration timeout) {
        try {
            subscriber.awaitTerminated(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | IllegalStateException e) {
            LOG.warning("Subscriber of job " + job.name() + " did not stop cleanly: " + e);
        }
    }

    private static int deliveryAttempt(PubsubMessage message) {
        Integer attempt = Subscriber.getDeliveryAttempt(message);
        return attempt == null ? 0 : attempt;
    }

    private static TickReply reply(AckReplyConsumer consumer) {
        return new TickReply() {
            @Override
            public void ack() {
                consumer.ack();
            }

            @Override
            public void nack() {
                consumer.nack();
            }
        };
    }
}
