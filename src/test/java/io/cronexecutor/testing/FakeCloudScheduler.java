package io.cronexecutor.testing;

import com.google.cloud.scheduler.v1.CreateJobRequest;
import com.google.cloud.scheduler.v1.Job;
import com.google.cloud.scheduler.v1.ListJobsRequest;
import com.google.cloud.scheduler.v1.ListJobsResponse;
import com.google.cloud.scheduler.v1.UpdateJobRequest;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Cloud Scheduler endpoint on loopback speaking the real {@code google.cloud.scheduler.v1.CloudScheduler}
 * ListJobs (paged), CreateJob and UpdateJob (with field masks) over gRPC, keeping jobs in memory,
 * so the official client can be tested against it. It can refuse every call with a status.
 */
public final class FakeCloudScheduler implements AutoCloseable {

    private static final String SERVICE = "google.cloud.scheduler.v1.CloudScheduler";

    private final Server server;
    private final Map<String, Job> jobs = new TreeMap<>();
    private final AtomicInteger creates = new AtomicInteger();
    private final AtomicInteger updates = new AtomicInteger();
    private final List<UpdateJobRequest> updateRequests = new ArrayList<>();
    private volatile Status refuseWith;
    private volatile boolean hideFromList;

    public FakeCloudScheduler() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(method("ListJobs", ListJobsRequest.getDefaultInstance(), ListJobsResponse.getDefaultInstance()),
                        ServerCalls.asyncUnaryCall(this::list))
                .addMethod(method("CreateJob", CreateJobRequest.getDefaultInstance(), Job.getDefaultInstance()),
                        ServerCalls.asyncUnaryCall(this::create))
                .addMethod(method("UpdateJob", UpdateJobRequest.getDefaultInstance(), Job.getDefaultInstance()),
                        ServerCalls.asyncUnaryCall(this::update))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(String name, Q request, R response) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }

    private boolean refused(StreamObserver<?> reply) {
        Status status = refuseWith;
        if (status != null) {
            reply.onError(status.asRuntimeException());
            return true;
        }
        return false;
    }

    private synchronized void list(ListJobsRequest request, StreamObserver<ListJobsResponse> reply) {
        if (refused(reply)) {
            return;
        }
        List<Job> matching = hideFromList ? List.of()
                : jobs.values().stream().filter(j -> j.getName().startsWith(request.getParent() + "/jobs/")).toList();
        int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
        int size = request.getPageSize() > 0 ? request.getPageSize() : 100;
        int to = Math.min(matching.size(), from + size);
        ListJobsResponse.Builder page = ListJobsResponse.newBuilder().addAllJobs(matching.subList(from, to));
        if (to < matching.size()) {
            page.setNextPageToken(Integer.toString(to));
        }
        reply.onNext(page.build());
        reply.onCompleted();
    }

    private synchronized void create(CreateJobRequest request, StreamObserver<Job> reply) {
        if (refused(reply)) {
            return;
        }
        Job job = request.getJob();
        if (!job.getName().startsWith(request.getParent() + "/jobs/")) {
            reply.onError(Status.INVALID_ARGUMENT.withDescription("job name outside " + request.getParent()).asRuntimeException());
            return;
        }
        if (jobs.containsKey(job.getName())) {
            reply.onError(Status.ALREADY_EXISTS.withDescription(job.getName()).asRuntimeException());
            return;
        }
        creates.incrementAndGet();
        Job stored = job.toBuilder().setState(Job.State.ENABLED).build();
        jobs.put(job.getName(), stored);
        reply.onNext(stored);
        reply.onCompleted();
    }

    private synchronized void update(UpdateJobRequest request, StreamObserver<Job> reply) {
        if (refused(reply)) {
            return;
        }
        Job current = jobs.get(request.getJob().getName());
        if (current == null) {
            reply.onError(Status.NOT_FOUND.withDescription(request.getJob().getName()).asRuntimeException());
            return;
        }
        updates.incrementAndGet();
        updateRequests.add(request);
        Job.Builder updated = current.toBuilder();
        for (String path : request.getUpdateMask().getPathsList()) {
            Descriptors.FieldDescriptor field = Job.getDescriptor().findFieldByName(path);
            if (field == null) {
                reply.onError(Status.INVALID_ARGUMENT.withDescription("unknown field " + path).asRuntimeException());
                return;
            }
            updated.setField(field, request.getJob().getField(field));
        }
        Job stored = updated.build();
        jobs.put(stored.getName(), stored);
        reply.onNext(stored);
        reply.onCompleted();
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Puts a job in place, as an operator or an earlier version would have. */
    public synchronized void put(Job job) {
        jobs.put(job.getName(), job);
    }

    public synchronized Job job(String name) {
        return jobs.get(name);
    }

    public synchronized Map<String, Job> jobs() {
        return new TreeMap<>(jobs);
    }

    /** Every call fails with {@code status}; null answers again. */
    public void refuse(Status status) {
        refuseWith = status;
    }

    /** ListJobs answers empty, as if another instance created the jobs just after this one listed. */
    public void hideFromList(boolean hide) {
        hideFromList = hide;
    }

    public int creates() {
        return creates.get();
    }

    public int updates() {
        return updates.get();
    }

    public synchronized List<UpdateJobRequest> updateRequests() {
        return List.copyOf(updateRequests);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
