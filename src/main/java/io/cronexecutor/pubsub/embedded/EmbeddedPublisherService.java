package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.Empty;
import com.google.pubsub.v1.DeleteTopicRequest;
import com.google.pubsub.v1.GetTopicRequest;
import com.google.pubsub.v1.ListTopicSubscriptionsRequest;
import com.google.pubsub.v1.ListTopicSubscriptionsResponse;
import com.google.pubsub.v1.ListTopicsRequest;
import com.google.pubsub.v1.ListTopicsResponse;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.UpdateTopicRequest;
import io.grpc.stub.StreamObserver;

/** The Pub/Sub v1 Publisher API (topics and publishing) over the embedded {@link Broker}. */
final class EmbeddedPublisherService extends PublisherGrpc.PublisherImplBase {

    private final Broker broker;

    EmbeddedPublisherService(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void createTopic(Topic request, StreamObserver<Topic> observer) {
        Rpc.answer(observer, () -> broker.createTopic(request));
    }

    @Override
    public void getTopic(GetTopicRequest request, StreamObserver<Topic> observer) {
        Rpc.answer(observer, () -> broker.getTopic(request.getTopic()));
    }

    @Override
    public void updateTopic(UpdateTopicRequest request, StreamObserver<Topic> observer) {
        Rpc.answer(observer, () -> broker.updateTopic(request.getTopic(), request.getUpdateMask()));
    }

    @Override
    public void listTopics(ListTopicsRequest request, StreamObserver<ListTopicsResponse> observer) {
        Rpc.answer(observer, () -> ListTopicsResponse.newBuilder()
                .addAllTopics(broker.topics(ResourceNames.project(request.getProject())))
                .build());
    }

    @Override
    public void listTopicSubscriptions(ListTopicSubscriptionsRequest request,
                                       StreamObserver<ListTopicSubscriptionsResponse> observer) {
        Rpc.answer(observer, () -> ListTopicSubscriptionsResponse.newBuilder()
                .addAllSubscriptions(broker.subscriptionsOf(request.getTopic()))
                .build());
    }

    @Override
    public void deleteTopic(DeleteTopicRequest request, StreamObserver<Empty> observer) {
        Rpc.answer(observer, () -> {
            broker.deleteTopic(request.getTopic());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> observer) {
        Rpc.answer(observer, () -> PublishResponse.newBuilder()
                .addAllMessageIds(broker.publish(request.getTopic(), request.getMessagesList()))
                .build());
    }
}
