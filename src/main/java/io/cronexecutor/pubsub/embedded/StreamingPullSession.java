package io.cronexecutor.pubsub.embedded;

import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.StreamingPullRequest;
import com.google.pubsub.v1.StreamingPullResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.Set;

/**
 * One StreamingPull stream: the first request names the subscription, the stream's ack deadline
 * and its flow control; later requests are heartbeats (answered with an empty response, as the
 * Java client expects) or carry acks and deadline changes.
 */
final class StreamingPullSession implements StreamObserver<StreamingPullRequest>, Delivery {

    private final Broker broker;
    private final ServerCallStreamObserver<StreamingPullResponse> responses;
    private SubscriptionState subscription;
    private volatile int ackDeadlineSeconds;
    private long maxMessages;
    private long maxBytes;
    private long outstandingMessages;
    private long outstandingBytes;
    private boolean closed;
    private final Set<StreamingPullSession> openSessions;

    StreamingPullSession(Broker broker, StreamObserver<StreamingPullResponse> responses,
                         Set<StreamingPullSession> openSessions) {
        this.broker = broker;
        this.openSessions = openSessions;
        this.responses = (ServerCallStreamObserver<StreamingPullResponse>) responses;
        this.responses.setOnCancelHandler(this::detach);
    }

    @Override
    public void onNext(StreamingPullRequest request) {
        try {
            if (subscription == null) {
                open(request);
            } else {
                handle(request);
            }
        } catch (StatusRuntimeException e) {
            detach();
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    responses.onError(e);
                }
            }
        }
    }

    private void open(StreamingPullRequest request) {
        SubscriptionState state = broker.subscription(request.getSubscription());
        int deadline = request.getStreamAckDeadlineSeconds();
        SubscriptionRules.requireAckDeadline(deadline, "stream_ack_deadline_seconds");
        ackDeadlineSeconds = deadline;
        synchronized (this) {
            maxMessages = request.getMaxOutstandingMessages();
            maxBytes = request.getMaxOutstandingBytes();
        }
        subscription = state;
        applyAcks(request);
        state.attach(this);
    }

    private void handle(StreamingPullRequest request) {
        boolean heartbeat = request.getAckIdsCount() == 0 && request.getModifyDeadlineAckIdsCount() == 0
                && request.getStreamAckDeadlineSeconds() == 0;
        if (request.getStreamAckDeadlineSeconds() != 0) {
            SubscriptionRules.requireAckDeadline(request.getStreamAckDeadlineSeconds(), "stream_ack_deadline_seconds");
            ackDeadlineSeconds = request.getStreamAckDeadlineSeconds();
        }
        applyAcks(request);
        if (heartbeat) {
            synchronized (this) {
                if (!closed) {
                    responses.onNext(StreamingPullResponse.newBuilder().setSubscriptionProperties(properties()).build());
                }
            }
        }
    }

    /** Acks on the stream are best effort: the stream has no per-ack answer for this broker to give. */
    private void applyAcks(StreamingPullRequest request) {
        if (request.getAckIdsCount() > 0) {
            subscription.acknowledge(request.getAckIdsList());
        }
        for (int i = 0; i < request.getModifyDeadlineAckIdsCount(); i++) {
            subscription.modifyAckDeadline(List.of(request.getModifyDeadlineAckIds(i)),
                    request.getModifyDeadlineSeconds(i));
        }
        if (request.getModifyDeadlineAckIdsCount() > 0) {
            broker.forwardDeadLetters();
        }
    }

    /**
     * Sent on every response: the client switches its exactly-once handling (receipt modacks,
     * ack futures that report failures) on and off by what the latest response says.
     */
    private StreamingPullResponse.SubscriptionProperties properties() {
        SubscriptionPolicy policy = subscription.policy();
        return StreamingPullResponse.SubscriptionProperties.newBuilder()
                .setExactlyOnceDeliveryEnabled(policy.exactlyOnce())
                .setMessageOrderingEnabled(policy.ordered())
                .build();
    }

    @Override
    public void onError(Throwable t) {
        detach();
    }

    @Override
    public void onCompleted() {
        detach();
        synchronized (this) {
            if (!closed) {
                closed = true;
                responses.onCompleted();
            }
        }
    }

    private void detach() {
        openSessions.remove(this);
        SubscriptionState state = subscription;
        if (state != null) {
            state.detach(this);
        }
    }

    /** Ends the stream from the server side, as when the broker stops. */
    void shutdown() {
        end(Status.UNAVAILABLE.withDescription("broker shutting down"));
    }

    @Override
    public void subscriptionDeleted() {
        end(Status.NOT_FOUND.withDescription("Subscription does not exist: " + subscription.name()));
    }

    private void end(Status status) {
        detach();
        synchronized (this) {
            if (!closed) {
                closed = true;
                responses.onError(status.asRuntimeException());
            }
        }
    }

    @Override
    public synchronized boolean accepts(int bytes) {
        if (closed) {
            return false;
        }
        boolean countOk = maxMessages <= 0 || outstandingMessages < maxMessages;
        // A single message larger than the byte budget still goes out when nothing is outstanding.
        boolean bytesOk = maxBytes <= 0 || outstandingMessages == 0 || outstandingBytes + bytes <= maxBytes;
        return countOk && bytesOk;
    }

    @Override
    public synchronized void leased(int bytes) {
        outstandingMessages++;
        outstandingBytes += bytes;
    }

    @Override
    public synchronized void released(int bytes) {
        outstandingMessages--;
        outstandingBytes -= bytes;
    }

    @Override
    public synchronized void send(List<ReceivedMessage> messages) {
        if (!closed) {
            responses.onNext(StreamingPullResponse.newBuilder()
                    .addAllReceivedMessages(messages)
                    .setSubscriptionProperties(properties())
                    .build());
        }
    }

    @Override
    public int ackDeadlineSeconds() {
        return ackDeadlineSeconds;
    }
}
