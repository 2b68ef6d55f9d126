package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.Empty;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.DeleteSubscriptionRequest;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.ListSubscriptionsRequest;
import com.google.pubsub.v1.ListSubscriptionsResponse;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.StreamingPullRequest;
import com.google.pubsub.v1.StreamingPullResponse;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriberGrpc;
import com.google.pubsub.v1.UpdateSubscriptionRequest;
import io.grpc.stub.StreamObserver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The Pub/Sub v1 Subscriber API (subscriptions, pulling, leases) over the embedded {@link Broker}. */
final class EmbeddedSubscriberService extends SubscriberGrpc.SubscriberImplBase {

    private final Broker broker;
    private final Set<StreamingPullSession> sessions = ConcurrentHashMap.newKeySet();

    EmbeddedSubscriberService(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void createSubscription(Subscription request, StreamObserver<Subscription> observer) {
        Rpc.answer(observer, () -> broker.createSubscription(request));
    }

    @Override
    public void getSubscription(GetSubscriptionRequest request, StreamObserver<Subscription> observer) {
        Rpc.answer(observer, () -> broker.getSubscription(request.getSubscription()));
    }

    @Override
    public void updateSubscription(UpdateSubscriptionRequest request, StreamObserver<Subscription> observer) {
        Rpc.answer(observer, () -> broker.updateSubscription(request.getSubscription(), request.getUpdateMask()));
    }

    @Override
    public void listSubscriptions(ListSubscriptionsRequest request, StreamObserver<ListSubscriptionsResponse> observer) {
        Rpc.answer(observer, () -> ListSubscriptionsResponse.newBuilder()
                .addAllSubscriptions(broker.subscriptions(ResourceNames.project(request.getProject())))
                .build());
    }

    @Override
    public void deleteSubscription(DeleteSubscriptionRequest request, StreamObserver<Empty> observer) {
        Rpc.answer(observer, () -> {
            broker.deleteSubscription(request.getSubscription());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void modifyAckDeadline(ModifyAckDeadlineRequest request, StreamObserver<Empty> observer) {
        Rpc.answer(observer, () -> {
            broker.modifyAckDeadline(request.getSubscription(), request.getAckIdsList(), request.getAckDeadlineSeconds());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void acknowledge(AcknowledgeRequest request, StreamObserver<Empty> observer) {
        Rpc.answer(observer, () -> {
            broker.acknowledge(request.getSubscription(), request.getAckIdsList());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void pull(PullRequest request, StreamObserver<PullResponse> observer) {
        Rpc.answer(observer, () -> PullResponse.newBuilder()
                .addAllReceivedMessages(broker.pull(request.getSubscription(), request.getMaxMessages()))
                .build());
    }

    @Override
    public StreamObserver<StreamingPullRequest> streamingPull(StreamObserver<StreamingPullResponse> responses) {
        StreamingPullSession session = new StreamingPullSession(broker, responses, sessions);
        sessions.add(session);
        return session;
    }

    /** Closes every open stream, so clients see the broker go away instead of a silent hang. */
    void closeStreams() {
        for (StreamingPullSession session : sessions) {
            session.shutdown();
        }
        sessions.clear();
    }
}
