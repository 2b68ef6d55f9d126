package io.cronexecutor.pubsub.embedded;

import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.MessageReceiverWithAckResponse;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The real google-cloud-pubsub clients (admin, Publisher, Subscriber) on a plaintext channel to one endpoint. */
public final class TestClients implements AutoCloseable {

    public static final String PROJECT = "conformance";

    private final ManagedChannel channel;
    private final TransportChannelProvider channels;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
    private final TopicAdminClient topics;
    private final SubscriptionAdminClient subscriptions;

    public TestClients(String hostPort) {
        channel = NettyChannelBuilder.forTarget(hostPort).usePlaintext().maxInboundMessageSize(20 * 1024 * 1024).build();
        channels = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        try {
            topics = TopicAdminClient.create(TopicAdminSettings.newBuilder()
                    .setTransportChannelProvider(channels)
                    .setCredentialsProvider(NoCredentialsProvider.create())
                    .build());
            subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                    .setTransportChannelProvider(channels)
                    .setCredentialsProvider(NoCredentialsProvider.create())
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw channel, for tests that speak the StreamingPull protocol themselves. */
    public ManagedChannel channel() {
        return channel;
    }

    public TopicAdminClient topics() {
        return topics;
    }

    public SubscriptionAdminClient subscriptions() {
        return subscriptions;
    }

    public static TopicName topic(String id) {
        return TopicName.of(PROJECT, id);
    }

    public static ProjectSubscriptionName subscription(String id) {
        return ProjectSubscriptionName.of(PROJECT, id);
    }

    public Publisher.Builder publisher(String topicId) {
        return Publisher.newBuilder(topic(topicId))
                .setChannelProvider(channels)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .setExecutorProvider(FixedExecutorProvider.create(executor));
    }

    public Subscriber.Builder subscriber(String subscriptionId, MessageReceiver receiver) {
        return configure(Subscriber.newBuilder(subscription(subscriptionId), receiver));
    }

    public Subscriber.Builder subscriberWithAckResponse(String subscriptionId, MessageReceiverWithAckResponse receiver) {
        return configure(Subscriber.newBuilder(subscription(subscriptionId), receiver));
    }

    private Subscriber.Builder configure(Subscriber.Builder builder) {
        return builder.setChannelProvider(channels)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .setExecutorProvider(FixedExecutorProvider.create(executor))
                .setSystemExecutorProvider(FixedExecutorProvider.create(executor));
    }

    @Override
    public void close() {
        topics.close();
        subscriptions.close();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
