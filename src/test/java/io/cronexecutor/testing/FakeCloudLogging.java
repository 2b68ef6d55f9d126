package io.cronexecutor.testing;

import com.google.logging.v2.LogEntry;
import com.google.logging.v2.WriteLogEntriesRequest;
import com.google.logging.v2.WriteLogEntriesResponse;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Cloud Logging endpoint on loopback that speaks the real {@code google.logging.v2.LoggingServiceV2}
 * WriteLogEntries method over gRPC and records what arrives, so the official client can be tested
 * against it. It can refuse calls with a status, or hang them until released, like an outage.
 */
public final class FakeCloudLogging implements AutoCloseable {

    private static final MethodDescriptor<WriteLogEntriesRequest, WriteLogEntriesResponse> WRITE =
            MethodDescriptor.<WriteLogEntriesRequest, WriteLogEntriesResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("google.logging.v2.LoggingServiceV2", "WriteLogEntries"))
                    .setRequestMarshaller(ProtoUtils.marshaller(WriteLogEntriesRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(WriteLogEntriesResponse.getDefaultInstance()))
                    .build();

    private final Server server;
    private final List<WriteLogEntriesRequest> requests = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Status refuseWith;
    private volatile int refusalsLeft;
    private volatile CountDownLatch hang;

    public FakeCloudLogging() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("google.logging.v2.LoggingServiceV2")
                .addMethod(WRITE, ServerCalls.asyncUnaryCall(this::write))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
    }

    private void write(WriteLogEntriesRequest request, StreamObserver<WriteLogEntriesResponse> reply) {
        calls.incrementAndGet();
        CountDownLatch gate = hang;
        if (gate != null) {
            try {
                gate.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (refusalsLeft > 0) {
                refusalsLeft--;
                reply.onError(refuseWith.asRuntimeException());
                return;
            }
            requests.add(request);
        }
        reply.onNext(WriteLogEntriesResponse.getDefaultInstance());
        reply.onCompleted();
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The next {@code times} calls fail with {@code status}. */
    public synchronized void refuse(Status status, int times) {
        refuseWith = status;
        refusalsLeft = times;
    }

    /** Calls wait until {@link #release()}, as if the API stopped answering. */
    public void hang() {
        hang = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch gate = hang;
        hang = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** WriteLogEntries calls received, answered or not. */
    public int calls() {
        return calls.get();
    }

    public synchronized List<WriteLogEntriesRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every entry accepted so far, in arrival order. */
    public synchronized List<LogEntry> entries() {
        return requests.stream().flatMap(r -> r.getEntriesList().stream()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        release();
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
