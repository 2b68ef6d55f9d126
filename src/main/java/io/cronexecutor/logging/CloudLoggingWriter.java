package io.cronexecutor.logging;

import com.google.api.MonitoredResource;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.logging.MonitoredResourceUtil;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.cloud.logging.v2.LoggingSettings;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.WriteLogEntriesRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes batches of entries with the Cloud Logging API's WriteLogEntries, through the official
 * client. The client is created at the first write, on the shipper's thread, so that looking up
 * credentials and the VM's monitored resource (the metadata server) never delays start-up, and a
 * failure there is retried like a failed write.
 */
public final class CloudLoggingWriter implements LogShipper.Writer, AutoCloseable {

    private static final Set<StatusCode.Code> RETRYABLE = Set.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.INTERNAL,
            StatusCode.Code.ABORTED, StatusCode.Code.UNKNOWN);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final CloudLoggingSettings settings;
    private final String instanceId;
    private final ScheduledExecutorService executor;
    private LoggingClient client;
    private ManagedChannel localChannel;
    private MonitoredResource resource;

    public CloudLoggingWriter(CloudLoggingSettings settings, String instanceId, ScheduledExecutorService executor) {
        this.settings = settings;
        this.instanceId = instanceId;
        this.executor = executor;
    }

    @Override
    public void write(List<LogEntry> entries) throws LogWriteException {
        LoggingClient logging = client();
        WriteLogEntriesRequest request = WriteLogEntriesRequest.newBuilder()
                .setLogName("projects/" + settings.project() + "/logs/" + URLEncoder.encode(settings.logName(), StandardCharsets.UTF_8))
                .setResource(resource)
                .putLabels("instance", instanceId)
                // One bad entry must not cost the others of its batch.
                .setPartialSuccess(true)
                .addAllEntries(entries)
                .build();
        try {
            logging.writeLogEntries(request);
        } catch (ApiException e) {
            StatusCode.Code code = e.getStatusCode().getCode();
            throw new LogWriteException(code + ": " + e.getMessage(), RETRYABLE.contains(code), e);
        }
    }

    private synchronized LoggingClient client() throws LogWriteException {
        if (client != null) {
            return client;
        }
        try {
            LoggingSettings.Builder builder = LoggingSettings.newBuilder()
                    .setBackgroundExecutorProvider(FixedExecutorProvider.create(executor));
            if (settings.emulatorHost().isPresent()) {
                localChannel = NettyChannelBuilder.forTarget(settings.emulatorHost().get()).usePlaintext().build();
                builder.setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(localChannel)))
                        .setCredentialsProvider(NoCredentialsProvider.create());
            }
            // The shipper batches and retries itself; the client's own batching would delay every
            // write, and its retries would hold a batch longer than the shipper's backoff allows.
            builder.writeLogEntriesSettings()
                    .setBatchingSettings(BatchingSettings.newBuilder().setIsEnabled(false).build())
                    .setRetryableCodes(Set.of())
                    .setSimpleTimeoutNoRetriesDuration(CALL_TIMEOUT);
            resource = settings.emulatorHost().isPresent()
                    ? MonitoredResource.newBuilder().setType("global").putLabels("project_id", settings.project()).build()
                    : MonitoredResourceUtil.getResource(settings.project(), null).toPb();
            client = LoggingClient.create(builder.build());
            return client;
        } catch (IOException | RuntimeException e) {
            closeChannel();
            throw new LogWriteException("could not create the Cloud Logging client: " + e, true, e);
        }
    }

    private void closeChannel() {
        if (localChannel != null) {
            localChannel.shutdownNow();
            localChannel = null;
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            try {
                client.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeChannel();
    }
}
