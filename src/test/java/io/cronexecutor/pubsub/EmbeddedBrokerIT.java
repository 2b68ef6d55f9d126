package io.cronexecutor.pubsub;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import io.cronexecutor.testing.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded broker through the real google-cloud-pubsub admin clients over gRPC. */
class EmbeddedBrokerIT {

    private BrokerFixture fixture;
    private PubSubClients clients;
    private TopicAdminClient topics;
    private SubscriptionAdminClient subscriptions;

    @BeforeEach
    void start() {
        fixture = new BrokerFixture();
        clients = fixture.clients();
        topics = clients.topicAdmin();
        subscriptions = clients.subscriptionAdmin();
    }

    @AfterEach
    void stop() {
        topics.close();
        subscriptions.close();
        fixture.close();
    }

    private String topicWithSubscription(String topicId, String subscriptionId, int ackDeadline) {
        topics.createTopic(clients.topic(topicId));
        subscriptions.createSubscription(Subscription.newBuilder()
                .setName(clients.subscription(subscriptionId).toString())
                .setTopic(clients.topic(topicId).toString())
                .setAckDeadlineSeconds(ackDeadline)
                .build());
        return clients.subscription(subscriptionId).toString();
    }

    private String publish(String topicId, String data) {
        return topics.publish(clients.topic(topicId),
                List.of(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build())).getMessageIds(0);
    }

    private ReceivedMessage pullOne(String subscription) {
        PullResponse response = subscriptions.pull(subscription, 1);
        assertEquals(1, response.getReceivedMessagesCount(), "one message waiting");
        return response.getReceivedMessages(0);
    }

    @Test
    void adminCallsAnswerWithCloudPubSubStatusCodes() {
        topics.createTopic(clients.topic("orders"));
        assertThrows(AlreadyExistsException.class, () -> topics.createTopic(clients.topic("orders")));
        assertThrows(NotFoundException.class, () -> topics.getTopic(clients.topic("absent")));
        assertThrows(InvalidArgumentException.class, () -> topics.createTopic("projects/" + BrokerFixture.PROJECT + "/topics/x"));
        assertThrows(NotFoundException.class, () -> subscriptions.getSubscription(clients.subscription("absent")));
        assertThrows(NotFoundException.class, () -> subscriptions.createSubscription(Subscription.newBuilder()
                .setName(clients.subscription("orphan").toString()).setTopic(clients.topic("absent").toString()).build()));
        assertThrows(InvalidArgumentException.class, () -> subscriptions.createSubscription(Subscription.newBuilder()
                .setName(clients.subscription("too-short").toString()).setTopic(clients.topic("orders").toString())
                .setAckDeadlineSeconds(5).build()));

        Subscription defaulted = subscriptions.createSubscription(Subscription.newBuilder()
                .setName(clients.subscription("orders-sub").toString()).setTopic(clients.topic("orders").toString()).build());
        assertEquals(10, defaulted.getAckDeadlineSeconds(), "0 means the default of 10 seconds");
        assertThrows(AlreadyExistsException.class, () -> subscriptions.createSubscription(defaulted));
    }

    @Test
    void everySubscriptionOfATopicGetsEveryMessage() {
        String first = topicWithSubscription("fanout", "fanout-a", 10);
        subscriptions.createSubscription(Subscription.newBuilder()
                .setName(clients.subscription("fanout-b").toString()).setTopic(clients.topic("fanout").toString()).build());
        String id = publish("fanout", "tick");
        assertEquals(id, pullOne(first).getMessage().getMessageId());
        assertEquals(id, pullOne(clients.subscription("fanout-b").toString()).getMessage().getMessageId());
    }

    @Test
    void nackedMessageIsRedeliveredAtOnceWithTheNextAttempt() {
        String subscription = topicWithSubscription("nack", "nack-sub", 60);
        String id = publish("nack", "tick");
        ReceivedMessage first = pullOne(subscription);
        assertEquals(1, first.getDeliveryAttempt());
        assertEquals(0, subscriptions.pull(subscription, 1).getReceivedMessagesCount(), "leased, so not handed out twice");

        subscriptions.modifyAckDeadline(subscription, List.of(first.getAckId()), 0);

        ReceivedMessage second = pullOne(subscription);
        assertEquals(id, second.getMessage().getMessageId());
        assertEquals(2, second.getDeliveryAttempt());
        assertNotEquals(first.getAckId(), second.getAckId());
    }

    @Test
    void leaseThatIsNotRenewedLapsesAndTheMessageIsRedelivered() throws InterruptedException {
        String subscription = topicWithSubscription("lapse", "lapse-sub", 10);
        String id = publish("lapse", "tick");
        ReceivedMessage first = pullOne(subscription);
        Thread.sleep(5_000);
        assertEquals(0, subscriptions.pull(subscription, 1).getReceivedMessagesCount(), "still leased at 5 s");

        Thread.sleep(6_000);
        ReceivedMessage again = pullOne(subscription);
        assertEquals(id, again.getMessage().getMessageId());
        assertEquals(2, again.getDeliveryAttempt());
        assertEquals(1, fixture.broker().broker().stats(subscription).leaseExpiries());

        subscriptions.acknowledge(subscription, List.of(again.getAckId()));
        assertEquals(0, fixture.broker().broker().stats(subscription).outstanding());
        // An ack with the lapsed lease's id is ignored, as Cloud Pub/Sub does outside exactly-once mode.
        subscriptions.acknowledge(subscription, List.of(first.getAckId()));
        assertEquals(1, fixture.broker().broker().stats(subscription).acks());
    }

    @Test
    void ackedMessageIsNeverRedelivered() throws InterruptedException {
        String subscription = topicWithSubscription("acked", "acked-sub", 10);
        publish("acked", "tick");
        subscriptions.acknowledge(subscription, List.of(pullOne(subscription).getAckId()));
        Thread.sleep(11_000);
        assertEquals(0, subscriptions.pull(subscription, 1).getReceivedMessagesCount());
        assertTrue(fixture.broker().broker().stats(subscription).leaseExpiries() == 0);
    }
}
