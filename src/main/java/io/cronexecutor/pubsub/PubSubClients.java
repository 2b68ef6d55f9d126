package io.cronexecutor.pubsub;

import com.google.api.gax.core.CredentialsProvider;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds google-cloud-pubsub clients for one endpoint: a plaintext channel and no credentials for
 * the embedded broker or an emulator, Google's defaults for Cloud Pub/Sub. Every client runs its
 * work on the executor given here (in Liberty a few threads of the container's, see
 * {@link ClientExecutor}), so the number of jobs does not decide the number of threads.
 */
public final class PubSubClients implements AutoCloseable {

    private final String project;
    private final TransportChannelProvider channels;
    private final CredentialsProvider credentials;
    private final ManagedChannel localChannel;
    private final ScheduledExecutorService executor;

    private PubSubClients(String project, TransportChannelProvider channels, CredentialsProvider credentials,
                          ManagedChannel localChannel, ScheduledExecutorService executor) {
        this.project = project;
        this.channels = channels;
        this.credentials = credentials;
        this.localChannel = localChannel;
        this.executor = executor;
    }

    /** Clients for a broker without TLS or authentication (the embedded one, or an emulator). */
    public static PubSubClients local(String project, String hostPort, ScheduledExecutorService executor) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(hostPort)
                .usePlaintext()
                .maxInboundMessageSize(20 * 1024 * 1024)
                .build();
        return new PubSubClients(project,
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)),
                NoCredentialsProvider.create(), channel, executor);
    }

    /** Clients for Google Cloud Pub/Sub with application-default credentials (the VM's service account on GCE). */
    public static PubSubClients cloud(String project, ScheduledExecutorService executor) {
        return new PubSubClients(project,
                SubscriptionAdminSettings.defaultGrpcTransportProviderBuilder().build(),
                SubscriptionAdminSettings.defaultCredentialsProviderBuilder().build(),
                null, executor);
    }

    public String project() {
        return project;
    }

    public TopicName topic(String topicId) {
        return TopicName.of(project, topicId);
    }

    public ProjectSubscriptionName subscription(String subscriptionId) {
        return ProjectSubscriptionName.of(project, subscriptionId);
    }

    public TopicAdminClient topicAdmin() {
        try {
            return TopicAdminClient.create(TopicAdminSettings.newBuilder()
                    .setTransportChannelProvider(channels)
                    .setCredentialsProvider(credentials)
                    .setBackgroundExecutorProvider(FixedExecutorProvider.create(executor))
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Pub/Sub topic admin client", e);
        }
    }

    public SubscriptionAdminClient subscriptionAdmin() {
        try {
            return SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                    .setTransportChannelProvider(channels)
                    .setCredentialsProvider(credentials)
                    .setBackgroundExecutorProvider(FixedExecutorProvider.create(executor))
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Pub/Sub subscription admin client", e);
        }
    }

    public Publisher publisher(String topicId) {
        try {
            return Publisher.newBuilder(topic(topicId))
                    .setChannelProvider(channels)
                    .setCredentialsProvider(credentials)
                    .setExecutorProvider(FixedExecutorProvider.create(executor))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Pub/Sub publisher for topic " + topicId, e);
        }
    }

    public Subscriber.Builder subscriber(String subscriptionId, MessageReceiver receiver) {
        return configure(Subscriber.newBuilder(subscription(subscriptionId), receiver));
    }

    /** As {@link #subscriber(String, MessageReceiver)}, for a receiver told whether Pub/Sub took each ack. */
    public Subscriber.Builder subscriber(String subscriptionId, MessageReceiverWithAckResponse receiver) {
        return configure(Subscriber.newBuilder(subscription(subscriptionId), receiver));
    }

    private Subscriber.Builder configure(Subscriber.Builder builder) {
        return builder
                .setChannelProvider(channels)
                .setCredentialsProvider(credentials)
                .setExecutorProvider(FixedExecutorProvider.create(executor))
                .setSystemExecutorProvider(FixedExecutorProvider.create(executor));
    }

    @Override
    public void close() {
        if (localChannel != null) {
            localChannel.shutdown();
            try {
                if (!localChannel.awaitTermination(5, TimeUnit.SECONDS)) {
                    localChannel.shutdownNow();
                }
            } catch (InterruptedException e) {
                localChannel.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
