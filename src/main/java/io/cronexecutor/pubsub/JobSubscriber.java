package io.cronexecutor.pubsub;

import com.google.api.core.ApiService;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.cloud.pubsub.v1.AckReplyConsumerWithResponse;
import com.google.cloud.pubsub.v1.AckResponse;
import com.google.cloud.pubsub.v1.MessageReceiverWithAckResponse;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriberShutdownSettings;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.PubsubMessage;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.run.Tick;
import io.cronexecutor.run.TickDispatcher;
import io.cronexecutor.run.TickReply;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Pulls one job's ticks with the google-cloud-pubsub {@link Subscriber} and hands them to the
 * dispatcher. The client renews each tick's lease until the dispatcher acks or nacks it. Pausing
 * stops pulling and leaves the ticks in the subscription; resuming pulls again with a new client
 * subscriber (a stopped one cannot be restarted).
 */
public final class JobSubscriber {

    private static final Logger LOG = Logger.getLogger(JobSubscriber.class.getName());
    /** Added to the job's timeout and kill grace, so no run outlives the lease that protects it. */
    static final Duration LEASE_MARGIN = Duration.ofMinutes(5);

    private final JobDefinition job;
    private final String subscriptionId;
    private final PubSubClients clients;
    private final TickDispatcher dispatcher;
    private Subscriber subscriber;
    private boolean paused;

    public JobSubscriber(JobDefinition job, String subscriptionId, PubSubClients clients, TickDispatcher dispatcher) {
        this.job = job;
        this.subscriptionId = subscriptionId;
        this.clients = clients;
        this.dispatcher = dispatcher;
        this.subscriber = build();
    }

    private Subscriber build() {
        MessageReceiverWithAckResponse receiver = (message, consumer) -> {
            Tick tick = tick(message);
            dispatcher.dispatch(job, tick, reply(job.name(), tick, consumer));
        };
        Subscriber built = clients.subscriber(subscriptionId, receiver)
                // Each renewal is capped at the ack deadline, so a tick held by a VM that died is
                // redelivered within one deadline instead of after a long extension.
                .setMaxDurationPerAckExtensionDuration(job.ackDeadline())
                .setMaxAckExtensionPeriodDuration(maxLease(job))
                .setParallelPullCount(1)
                .setFlowControlSettings(FlowControlSettings.newBuilder()
                        .setMaxOutstandingElementCount((long) job.policy().maxConcurrent() + job.policy().maxQueued())
                        .build())
                // The dispatcher settles every tick itself at shutdown (drain, then kill and nack);
                // the client keeps leases alive meanwhile and sends those acks and nacks out.
                .setSubscriberShutdownSettings(SubscriberShutdownSettings.newBuilder()
                        .setMode(SubscriberShutdownSettings.ShutdownMode.WAIT_FOR_PROCESSING)
                        .setTimeout(Duration.ofMinutes(10))
                        .build())
                .build();
        built.addListener(new ApiService.Listener() {
            @Override
            public void failed(ApiService.State from, Throwable failure) {
                LOG.severe("Subscriber of job " + job.name() + " on " + subscriptionId + " failed (was "
                        + from + "): " + failure);
            }
        }, MoreExecutors.directExecutor());
        return built;
    }

    static Duration maxLease(JobDefinition job) {
        return job.policy().timeout().plus(job.policy().killGrace()).plus(LEASE_MARGIN);
    }

    public JobDefinition job() {
        return job;
    }

    public String subscriptionId() {
        return subscriptionId;
    }

    public synchronized void start() {
        subscriber.startAsync();
    }

    /** Starts paused: nothing is pulled until {@link #resume()}. */
    public synchronized void startPaused() {
        paused = true;
    }

    public void awaitRunning(Duration timeout) throws TimeoutException {
        current().awaitRunning(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Running, or deliberately paused: either way this job is as the operator wants it. */
    public synchronized boolean healthy() {
        return paused || subscriber.state() == ApiService.State.RUNNING;
    }

    public synchronized boolean paused() {
        return paused;
    }

    public synchronized String state() {
        return paused ? "PAUSED" : subscriber.state().name();
    }

    /** Stops pulling; ticks stay in the subscription. Runs in progress go on and are settled as usual. */
    public synchronized boolean pause() {
        if (paused) {
            return false;
        }
        paused = true;
        subscriber.stopAsync();
        return true;
    }

    public synchronized boolean resume() {
        if (!paused) {
            return false;
        }
        paused = false;
        subscriber = build();
        subscriber.startAsync();
        return true;
    }

    public synchronized void stop() {
        subscriber.stopAsync();
    }

    public void awaitStopped(Duration timeout) {
        try {
            current().awaitTerminated(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | IllegalStateException e) {
            LOG.warning("Subscriber of job " + job.name() + " did not stop cleanly: " + e);
        }
    }

    private synchronized Subscriber current() {
        return subscriber;
    }

    static Tick tick(PubsubMessage message) {
        Integer attempt = Subscriber.getDeliveryAttempt(message);
        Map<String, String> attributes = new HashMap<>(message.getAttributesMap());
        attributes.remove("googclient_deliveryattempt"); // the client's own bookkeeping, not the publisher's
        return new Tick(message.getMessageId(), message.getData().toByteArray(), attributes,
                Instant.ofEpochMilli(Timestamps.toMillis(message.getPublishTime())), attempt == null ? 0 : attempt);
    }

    private static TickReply reply(String job, Tick tick, AckReplyConsumerWithResponse consumer) {
        return new TickReply() {
            @Override
            public void ack() {
                watch(consumer.ack(), true);
            }

            @Override
            public void nack() {
                watch(consumer.nack(), false);
            }

            /*
             * With exactly-once delivery Pub/Sub says whether it took the ack. A refused ack means
             * the lease had lapsed (a stalled VM, a lost network): the tick may run again, and the
             * operator should know. A refused nack needs no word: the tick comes back either way.
             */
            private void watch(Future<AckResponse> response, boolean ack) {
                if (!(response instanceof ApiFuture<AckResponse> future)) {
                    return;
                }
                ApiFutures.addCallback(future, new ApiFutureCallback<>() {
                    @Override
                    public void onSuccess(AckResponse result) {
                        if (result != AckResponse.SUCCESSFUL) {
                            refused(result.name());
                        }
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        refused(failure.toString());
                    }

                    private void refused(String why) {
                        if (ack) {
                            LOG.warning("Pub/Sub refused the ack of delivery " + tick.deliveryAttempt() + " of tick "
                                    + tick.messageId() + " of job " + job + " (" + why + "): its lease had lapsed, so unless"
                                    + " another delivery of it was acked, it will be delivered, and run, again");
                        } else {
                            LOG.fine(() -> "Pub/Sub refused the nack of tick " + tick.messageId() + " of job " + job + " (" + why + ")");
                        }
                    }
                }, MoreExecutors.directExecutor());
            }
        };
    }
}
