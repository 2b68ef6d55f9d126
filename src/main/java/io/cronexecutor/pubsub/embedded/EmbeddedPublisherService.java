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
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** The Pub/Sub v1 Publisher API (topics and publishing) over the embedded {@link Broker}. */
final class EmbeddedPublisherService extends PublisherGrpc.PublisherImplBase {

    private final Broker broker;

    EmbeddedPublisherService(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void createTopic(Topic request, StreamObserver<Topic> observer) {
        Rpc.answer(observer, () -> {
            broker.createTopic(request.getName());
            return Topic.newBuilder().setName(request.getName()).putAllLabels(request.getLabelsMap()).build();
        });
    }

    @Override
    public void getTopic(GetTopicRequest request, StreamObserver<Topic> observer) {
        Rpc.answer(observer, () -> {
            ResourceNames.requireTopic(request.getTopic());
            if (!broker.hasTopic(request.getTopic())) {
                throw Status.NOT_FOUND.withDescription("Topic does not exist: " + request.getTopic()).asRuntimeException();
            }
            return Topic.newBuilder().setName(request.getTopic()).build();
        });
    }

    @Override
    public void listTopics(ListTopicsRequest request, StreamObserver<ListTopicsResponse> observer) {
        Rpc.answer(observer, () -> {
            ListTopicsResponse.Builder response = ListTopicsResponse.newBuilder();
            for (String name : broker.topics(ResourceNames.project(request.getProject()))) {
                response.addTopics(Topic.newBuilder().setName(name));
            }
            return response.build();
        });
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
