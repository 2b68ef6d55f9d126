package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker's rules without gRPC, on a fake clock. */
class BrokerTest {

    private static final String TOPIC = "projects/p/topics/ticks";
    private static final String SUBSCRIPTION = "projects/p/subscriptions/ticks-sub";

    private final ManualTime time = new ManualTime();
    private final List<Broker> opened = new ArrayList<>();

    @TempDir
    Path dataDir;

    private Broker broker(BrokerOptions options) {
        Broker broker = new Broker(options.withClocks(time, time));
        opened.add(broker);
        return broker;
    }

    private Broker inMemory() {
        return broker(BrokerOptions.inMemory());
    }

    @AfterEach
    void close() {
        opened.forEach(Broker::close);
    }

    private static PubsubMessage message(String data) {
        return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build();
    }

    private static PubsubMessage ofSize(int bytes) {
        return PubsubMessage.newBuilder().setData(ByteString.copyFrom(new byte[bytes])).build();
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static void withTopicAndSubscription(Broker broker, Subscription.Builder subscription) {
        broker.createTopic(TOPIC);
        broker.createSubscription(subscription.setName(SUBSCRIPTION).setTopic(TOPIC).build());
    }

    @Test
    void publishBeyondTheRetainedBoundIsRefusedWholeUntilAcksMakeRoom() {
        Broker broker = broker(BrokerOptions.inMemory().withMaxRetainedBytes(3000));
        withTopicAndSubscription(broker, Subscription.newBuilder());
        broker.publish(TOPIC, List.of(ofSize(1000), ofSize(1000)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> broker.publish(TOPIC, List.of(ofSize(500), ofSize(500)))));
        assertEquals(2, broker.stats(SUBSCRIPTION).published(), "nothing of the refused request was stored");

        ReceivedMessage one = broker.pull(SUBSCRIPTION, 1).get(0);
        broker.acknowledge(SUBSCRIPTION, List.of(one.getAckId()));
        broker.publish(TOPIC, List.of(ofSize(500), ofSize(500)));
        assertEquals(4, broker.stats(SUBSCRIPTION).published());
    }

    @Test
    void publishLimitsAreCloudPubSubs() {
        Broker broker = inMemory();
        withTopicAndSubscription(broker, Subscription.newBuilder());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.publish(TOPIC, List.of(ofSize(10_000_001)))));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.publish(TOPIC, List.of(PubsubMessage.getDefaultInstance()))));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.publish(TOPIC, Collections.nCopies(1001, message("x")))));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.publish(TOPIC,
                List.of(message("x").toBuilder().putAttributes("k".repeat(257), "v").build()))));
        assertEquals(Status.Code.NOT_FOUND, code(() -> broker.publish("projects/p/topics/absent", List.of(message("x")))));
        broker.publish(TOPIC, List.of(ofSize(9_000_000)));
    }

    @Test
    void exactlyOnceAckOfALapsedAckIdFailsWithErrorInfoKeyedByTheAckId() {
        Broker broker = inMemory();
        withTopicAndSubscription(broker, Subscription.newBuilder().setEnableExactlyOnceDelivery(true));
        broker.publish(TOPIC, List.of(message("tick")));
        ReceivedMessage first = broker.pull(SUBSCRIPTION, 1).get(0);
        time.advanceSeconds(10);
        broker.sweep();
        ReceivedMessage second = broker.pull(SUBSCRIPTION, 1).get(0);

        StatusRuntimeException ack = assertThrows(StatusRuntimeException.class,
                () -> broker.acknowledge(SUBSCRIPTION, List.of(first.getAckId())));
        assertEquals(Status.Code.INVALID_ARGUMENT, ack.getStatus().getCode());
        assertEquals(Map.of(first.getAckId(), "PERMANENT_FAILURE_INVALID_ACK_ID"), AckIdFailures.metadata(ack));
        StatusRuntimeException modack = assertThrows(StatusRuntimeException.class,
                () -> broker.modifyAckDeadline(SUBSCRIPTION, List.of(first.getAckId()), 30));
        assertEquals(Map.of(first.getAckId(), "PERMANENT_FAILURE_INVALID_ACK_ID"), AckIdFailures.metadata(modack));

        broker.acknowledge(SUBSCRIPTION, List.of(second.getAckId()));
        assertEquals(1, broker.stats(SUBSCRIPTION).acks());
    }

    @Test
    void lapsedAckIdIsIgnoredOutsideExactlyOnceMode() {
        Broker broker = inMemory();
        withTopicAndSubscription(broker, Subscription.newBuilder());
        broker.publish(TOPIC, List.of(message("tick")));
        ReceivedMessage first = broker.pull(SUBSCRIPTION, 1).get(0);
        time.advanceSeconds(10);
        broker.sweep();
        broker.acknowledge(SUBSCRIPTION, List.of(first.getAckId()));
        assertEquals(1, broker.stats(SUBSCRIPTION).pending(), "still waiting for a current ack");
    }

    @Test
    void deadLettersArePublishedToTheDeadLetterTopic() {
        Broker broker = inMemory();
        broker.createTopic("projects/p/topics/dead");
        broker.createSubscription("projects/p/subscriptions/dead-sub", "projects/p/topics/dead", 10);
        withTopicAndSubscription(broker, Subscription.newBuilder().setDeadLetterPolicy(
                DeadLetterPolicy.newBuilder().setDeadLetterTopic("projects/p/topics/dead").setMaxDeliveryAttempts(5)));
        broker.publish(TOPIC, List.of(message("poison").toBuilder().putAttributes("job", "backup").build()));
        for (int attempt = 1; attempt <= 5; attempt++) {
            broker.modifyAckDeadline(SUBSCRIPTION, List.of(broker.pull(SUBSCRIPTION, 1).get(0).getAckId()), 0);
        }
        ReceivedMessage dead = broker.pull("projects/p/subscriptions/dead-sub", 1).get(0);
        assertEquals("poison", dead.getMessage().getData().toStringUtf8());
        assertEquals("backup", dead.getMessage().getAttributesOrThrow("job"));
        assertEquals("5", dead.getMessage().getAttributesOrThrow("CloudPubSubDeadLetterSourceDeliveryCount"));
        assertTrue(broker.pull(SUBSCRIPTION, 1).isEmpty());
    }

    @Test
    void updateChangesOnlyTheMaskedFieldsWithinTheSameRules() {
        Broker broker = inMemory();
        withTopicAndSubscription(broker, Subscription.newBuilder().setAckDeadlineSeconds(20).putLabels("a", "1"));
        Subscription updated = broker.updateSubscription(Subscription.newBuilder().setName(SUBSCRIPTION)
                .setAckDeadlineSeconds(30).putLabels("b", "2").build(), FieldMask.newBuilder().addPaths("ack_deadline_seconds").build());
        assertEquals(30, updated.getAckDeadlineSeconds());
        assertEquals(Map.of("a", "1"), updated.getLabelsMap(), "labels were not in the mask");
        assertEquals(30, broker.subscription(SUBSCRIPTION).ackDeadlineSeconds());

        Subscription base = Subscription.newBuilder().setName(SUBSCRIPTION).setAckDeadlineSeconds(700).build();
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.updateSubscription(base,
                FieldMask.newBuilder().addPaths("ack_deadline_seconds").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.updateSubscription(base,
                FieldMask.newBuilder().addPaths("topic").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.updateSubscription(base,
                FieldMask.newBuilder().addPaths("no_such_field").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> broker.updateSubscription(base, FieldMask.getDefaultInstance())));
    }

    @Test
    void durableBrokerTakesBackTopicsSubscriptionsAndUnackedMessagesAfterARestart() {
        Broker before = broker(BrokerOptions.durable(dataDir));
        withTopicAndSubscription(before, Subscription.newBuilder().setAckDeadlineSeconds(42));
        List<String> ids = before.publish(TOPIC, List.of(message("acked"), message("leased"), message("waiting")));
        before.acknowledge(SUBSCRIPTION, List.of(before.pull(SUBSCRIPTION, 1).get(0).getAckId()));
        before.pull(SUBSCRIPTION, 1);
        before.close();
        opened.remove(before);

        Broker after = broker(BrokerOptions.durable(dataDir));
        assertTrue(after.hasTopic(TOPIC));
        assertEquals(42, after.getSubscription(SUBSCRIPTION).getAckDeadlineSeconds());
        List<ReceivedMessage> back = after.pull(SUBSCRIPTION, 10);
        assertEquals(List.of(ids.get(1), ids.get(2)), back.stream().map(m -> m.getMessage().getMessageId()).toList());
        assertEquals(List.of(2, 1), back.stream().map(ReceivedMessage::getDeliveryAttempt).toList(),
                "the attempt count survives, so the dead-letter policy still counts right");
        String next = after.publish(TOPIC, List.of(message("later"))).get(0);
        assertTrue(Long.parseLong(next) > Long.parseLong(ids.get(2)), "message ids are never reused");
    }

    @Test
    void inMemoryBrokerLeavesNothingBehind() {
        Broker broker = inMemory();
        withTopicAndSubscription(broker, Subscription.newBuilder());
        broker.publish(TOPIC, List.of(message("tick")));
        broker.close();
        assertTrue(!new Broker(BrokerOptions.inMemory()).hasTopic(TOPIC));
    }

    @Test
    void everyConcurrentCreateIsDurableWhenItReturns() throws Exception {
        Path live = dataDir.resolve("live");
        Broker broker = broker(BrokerOptions.durable(live));
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(32);
        List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            calls.add(callers.submit(() -> {
                broker.createTopic("projects/p/topics/topic" + n);
                broker.createSubscription("projects/p/subscriptions/sub" + n, "projects/p/topics/topic" + n, 60);
            }));
        }
        for (java.util.concurrent.Future<?> call : calls) {
            call.get();
        }
        callers.shutdown();
        // The file as a crash would leave it right now, before the background commit or a close.
        Path crashed = java.nio.file.Files.createDirectories(dataDir.resolve("crashed"));
        java.nio.file.Files.copy(live.resolve(MvMessageStore.FILE_NAME), crashed.resolve(MvMessageStore.FILE_NAME));
        Broker reopened = broker(BrokerOptions.durable(crashed));
        assertEquals(200, reopened.subscriptions("projects/p").size());
        assertEquals(200, reopened.topics("projects/p").size());
    }
}
