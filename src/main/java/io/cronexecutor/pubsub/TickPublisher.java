package io.cronexecutor.pubsub;

import com.google.api.core.ApiFuture;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.cronexecutor.job.JobDefinition;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/** Publishes ticks through the real Pub/Sub client, one publisher per topic, created on first use. */
public final class TickPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TickPublisher.class.getName());
    private static final long PUBLISH_TIMEOUT_SECONDS = 30;

    private final PubSubClients clients;
    private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();

    public TickPublisher(PubSubClients clients) {
        this.clients = clients;
    }

    /** A tick that the broker accepted. */
    public record PublishedTick(String tickId, String messageId) {
    }

    /**
     * Publishes one tick for the job and waits until the broker has stored it.
     *
     * @throws TickPublishException if the broker did not accept it
     */
    public PublishedTick publish(JobDefinition job, String trigger, Map<String, String> extraAttributes) {
        return publish(job, trigger, extraAttributes, new byte[0]);
    }

    /** As {@link #publish(JobDefinition, String, Map)}, with message data the command reads on its standard input. */
    public PublishedTick publish(JobDefinition job, String trigger, Map<String, String> extraAttributes, byte[] data) {
        String tickId = UUID.randomUUID().toString();
        PubsubMessage message = PubsubMessage.newBuilder()
                .putAllAttributes(extraAttributes)
                .putAttributes(TickAttributes.TRIGGER, trigger)
                .putAttributes(TickAttributes.TICK_ID, tickId)
                .putAttributes("cron-job", job.name())
                .setData(ByteString.copyFrom(data))
                .build();
        Publisher publisher = publishers.computeIfAbsent(job.topic(), clients::publisher);
        ApiFuture<String> id = publisher.publish(message);
        try {
            return new PublishedTick(tickId, id.get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            throw new TickPublishException("publishing a tick of job " + job.name() + " to topic " + job.topic()
                    + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TickPublishException("publishing a tick of job " + job.name() + " to topic " + job.topic()
                    + " got no answer within " + PUBLISH_TIMEOUT_SECONDS + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TickPublishException("interrupted while publishing a tick of job " + job.name(), e);
        }
    }

    @Override
    public void close() {
        for (Publisher publisher : publishers.values()) {
            publisher.shutdown();
            try {
                publisher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warning("Interrupted while flushing publishers");
                return;
            }
        }
        publishers.clear();
    }
}
