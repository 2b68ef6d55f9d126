package io.cronexecutor.pubsub.embedded;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.pubsub.v1.AckReplyConsumerWithResponse;
import com.google.cloud.pubsub.v1.AckResponse;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.UpdateSubscriptionRequest;
import com.google.pubsub.v1.UpdateTopicRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the executor relies on from Pub/Sub, driven through the real google-cloud-pubsub clients
 * (admin clients, Publisher, Subscriber). Subclasses run it against the embedded broker and against
 * the official emulator; a test that needs something the emulator lacks says so and runs on the
 * embedded broker only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PubSubConformanceSuite {

    private static final AtomicInteger NAMES = new AtomicInteger();

    protected PubSubTarget target;
    protected TestClients clients;

    /** Starts the endpoint under test (or skips the class by a failed assumption). */
    protected abstract PubSubTarget startTarget();

    @BeforeAll
    void start() {
        target = startTarget();
        clients = new TestClients(target.hostPort());
    }

    @AfterAll
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (target != null) {
            target.close();
        }
    }

    /** A topic id no other test of this run uses, as every test shares one endpoint. */
    private static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    private String newTopic(String prefix) {
        String id = unique(prefix);
        clients.topics().createTopic(TestClients.topic(id));
        return id;
    }

    private String newSubscription(String topicId, UnaryOperator<Subscription.Builder> settings) {
        String id = unique(topicId + "-sub");
        clients.subscriptions().createSubscription(settings.apply(Subscription.newBuilder()
                .setName(TestClients.subscription(id).toString())
                .setTopic(TestClients.topic(topicId).toString())).build());
        return id;
    }

    private String publish(String topicId, String data) {
        return clients.topics().publish(TestClients.topic(topicId),
                List.of(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build())).getMessageIds(0);
    }

    private List<ReceivedMessage> pullNow(String subscriptionId, int max) {
        return clients.subscriptions().pullCallable().call(PullRequest.newBuilder()
                .setSubscription(TestClients.subscription(subscriptionId).toString())
                .setMaxMessages(max)
                .setReturnImmediately(true)
                .build()).getReceivedMessagesList();
    }

    /** Pulls until one message comes: an emulator may answer an immediate pull empty while it routes. */
    private ReceivedMessage pullOne(String subscriptionId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<ReceivedMessage> got = pullNow(subscriptionId, 1);
            if (!got.isEmpty()) {
                return got.get(0);
            }
            Thread.sleep(50);
        }
        return fail("no message arrived on " + subscriptionId + " within 5 s");
    }

    private void nack(String subscriptionId, ReceivedMessage message) {
        clients.subscriptions().modifyAckDeadline(TestClients.subscription(subscriptionId).toString(), List.of(message.getAckId()), 0);
    }

    private void ack(String subscriptionId, ReceivedMessage message) {
        clients.subscriptions().acknowledge(TestClients.subscription(subscriptionId).toString(), List.of(message.getAckId()));
    }

    private static void assertCode(StatusCode.Code expected, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(expected, e.getStatusCode().getCode(), e.getMessage());
    }

    /** The message's attributes without those the client library adds on receipt (googclient_*). */
    private static Map<String, String> ownAttributes(PubsubMessage message) {
        Map<String, String> own = new java.util.HashMap<>(message.getAttributesMap());
        own.keySet().removeIf(key -> key.startsWith("googclient_"));
        return own;
    }

    private static Duration seconds(long seconds) {
        return Duration.newBuilder().setSeconds(seconds).build();
    }

    @Test
    void adminCallsAnswerWithCloudPubSubStatusCodes() {
        String topic = newTopic("admin");
        assertThrows(AlreadyExistsException.class, () -> clients.topics().createTopic(TestClients.topic(topic)));
        assertThrows(NotFoundException.class, () -> clients.topics().getTopic(TestClients.topic("absent-topic")));
        assertThrows(InvalidArgumentException.class, () -> clients.topics().createTopic("projects/conformance/topics/x"));
        assertThrows(InvalidArgumentException.class, () -> clients.topics().createTopic("projects/conformance/topics/goog-reserved"));
        assertThrows(NotFoundException.class, () -> clients.subscriptions().getSubscription(TestClients.subscription("absent-sub")));
        assertThrows(NotFoundException.class, () -> newSubscription("absent-topic", b -> b));
        assertThrows(InvalidArgumentException.class, () -> clients.subscriptions().createSubscription(Subscription.newBuilder()
                .setName("projects/conformance/subscriptions/1-starts-with-a-digit")
                .setTopic(TestClients.topic(topic).toString()).build()));

        String defaulted = newSubscription(topic, b -> b);
        Subscription read = clients.subscriptions().getSubscription(TestClients.subscription(defaulted));
        assertEquals(10, read.getAckDeadlineSeconds(), "0 means the default of 10 seconds");
        assertEquals(TestClients.topic(topic).toString(), read.getTopic());
        assertThrows(AlreadyExistsException.class, () -> clients.subscriptions().createSubscription(read));
        assertThrows(NotFoundException.class, () -> clients.subscriptions().deleteSubscription(TestClients.subscription("absent-sub")));
        assertThrows(NotFoundException.class, () -> clients.topics().deleteTopic(TestClients.topic("absent-topic")));
    }

    @Test
    void ackDeadlineAboveSixHundredSecondsIsInvalid() {
        String topic = newTopic("deadline");
        assertCode(StatusCode.Code.INVALID_ARGUMENT, () -> newSubscription(topic, b -> b.setAckDeadlineSeconds(601)));
        String ok = newSubscription(topic, b -> b.setAckDeadlineSeconds(600));
        assertEquals(600, clients.subscriptions().getSubscription(TestClients.subscription(ok)).getAckDeadlineSeconds());
    }

    @Test
    void ackDeadlineBelowTenSecondsIsInvalid() {
        assumeTrue(target.embedded(), "the official emulator accepts and keeps an ack deadline of 5 s");
        String topic = newTopic("short-deadline");
        assertCode(StatusCode.Code.INVALID_ARGUMENT, () -> newSubscription(topic, b -> b.setAckDeadlineSeconds(5)));
    }

    @Test
    void outOfRangePoliciesAreRefused() {
        String topic = newTopic("policies");
        String deadLetters = newTopic("policies-dlq");
        // The one code the two disagree on: the emulator answers OUT_OF_RANGE for max_delivery_attempts.
        StatusCode.Code attemptsCode = target.embedded() ? StatusCode.Code.INVALID_ARGUMENT : StatusCode.Code.OUT_OF_RANGE;
        assertCode(attemptsCode, () -> newSubscription(topic, b -> b.setDeadLetterPolicy(
                DeadLetterPolicy.newBuilder().setDeadLetterTopic(TestClients.topic(deadLetters).toString()).setMaxDeliveryAttempts(4))));
        assertCode(attemptsCode, () -> newSubscription(topic, b -> b.setDeadLetterPolicy(
                DeadLetterPolicy.newBuilder().setDeadLetterTopic(TestClients.topic(deadLetters).toString()).setMaxDeliveryAttempts(101))));
        assertCode(StatusCode.Code.INVALID_ARGUMENT, () -> newSubscription(topic, b -> b.setRetryPolicy(
                RetryPolicy.newBuilder().setMinimumBackoff(seconds(10)).setMaximumBackoff(seconds(601)))));
        assertCode(StatusCode.Code.INVALID_ARGUMENT, () -> newSubscription(topic, b -> b.setMessageRetentionDuration(seconds(60))));
        assertCode(StatusCode.Code.INVALID_ARGUMENT, () -> newSubscription(topic, b -> b.setMessageRetentionDuration(seconds(8 * 86400))));
        assertCode(StatusCode.Code.INVALID_ARGUMENT, () -> clients.topics().createTopic(Topic.newBuilder()
                .setName(TestClients.topic(unique("long-retention")).toString())
                .setMessageRetentionDuration(seconds(32 * 86400)).build()));

        assertCode(StatusCode.Code.NOT_FOUND, () -> newSubscription(topic, b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic(TestClients.topic("absent-dead-letters").toString()).setMaxDeliveryAttempts(5))));

        String ok = newSubscription(topic, b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic(TestClients.topic(deadLetters).toString()).setMaxDeliveryAttempts(100)));
        assertEquals(100, clients.subscriptions().getSubscription(TestClients.subscription(ok)).getDeadLetterPolicy().getMaxDeliveryAttempts());
    }

    @Test
    void topicsAndSubscriptionsAreListedUpdatedAndDeleted() {
        String topic = newTopic("lifecycle");
        String subscription = newSubscription(topic, b -> b.setAckDeadlineSeconds(20));

        List<String> topicNames = new ArrayList<>();
        clients.topics().listTopics("projects/" + TestClients.PROJECT).iterateAll().forEach(t -> topicNames.add(t.getName()));
        assertTrue(topicNames.contains(TestClients.topic(topic).toString()), topicNames.toString());
        List<String> ofTopic = new ArrayList<>();
        clients.topics().listTopicSubscriptions(TestClients.topic(topic)).iterateAll().forEach(ofTopic::add);
        assertEquals(List.of(TestClients.subscription(subscription).toString()), ofTopic);

        Subscription updated = clients.subscriptions().updateSubscription(UpdateSubscriptionRequest.newBuilder()
                .setSubscription(Subscription.newBuilder().setName(TestClients.subscription(subscription).toString())
                        .setAckDeadlineSeconds(45).setMessageRetentionDuration(seconds(3600)))
                .setUpdateMask(FieldMask.newBuilder().addPaths("ack_deadline_seconds"))
                .build());
        assertEquals(45, updated.getAckDeadlineSeconds());
        assertNotEquals(3600, updated.getMessageRetentionDuration().getSeconds(), "only masked fields change");
        assertEquals(45, clients.subscriptions().getSubscription(TestClients.subscription(subscription)).getAckDeadlineSeconds());

        clients.topics().deleteTopic(TestClients.topic(topic));
        assertThrows(NotFoundException.class, () -> clients.topics().getTopic(TestClients.topic(topic)));
        assertEquals("_deleted-topic_", clients.subscriptions().getSubscription(TestClients.subscription(subscription)).getTopic(),
                "a subscription outlives its topic");
        clients.subscriptions().deleteSubscription(TestClients.subscription(subscription));
        assertThrows(NotFoundException.class, () -> clients.subscriptions().getSubscription(TestClients.subscription(subscription)));
    }

    @Test
    void labelsAreUpdatedThroughTheUpdateMask() {
        assumeTrue(target.embedded(), "the official emulator refuses 'labels' in the update mask of topics and subscriptions");
        String topic = newTopic("labels");
        String subscription = newSubscription(topic, b -> b);
        Subscription updated = clients.subscriptions().updateSubscription(UpdateSubscriptionRequest.newBuilder()
                .setSubscription(Subscription.newBuilder().setName(TestClients.subscription(subscription).toString())
                        .putLabels("team", "ops"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels"))
                .build());
        assertEquals(Map.of("team", "ops"), updated.getLabelsMap());
        Topic labelled = clients.topics().updateTopic(UpdateTopicRequest.newBuilder()
                .setTopic(Topic.newBuilder().setName(TestClients.topic(topic).toString()).putLabels("env", "test"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels"))
                .build());
        assertEquals(Map.of("env", "test"), labelled.getLabelsMap());
        assertEquals(Map.of("env", "test"), clients.topics().getTopic(TestClients.topic(topic)).getLabelsMap());
    }

    @Test
    void deletingASubscriptionEndsItsSubscriberWithNotFound() throws Exception {
        String topic = newTopic("deleted");
        String subscription = newSubscription(topic, b -> b);
        Subscriber subscriber = clients.subscriber(subscription, (message, reply) -> reply.ack()).build();
        subscriber.startAsync().awaitRunning();
        clients.subscriptions().deleteSubscription(TestClients.subscription(subscription));
        try {
            subscriber.awaitTerminated(10, TimeUnit.SECONDS);
            fail("the subscriber kept running on a deleted subscription");
        } catch (IllegalStateException expected) {
            Throwable cause = subscriber.failureCause();
            assertTrue(cause instanceof ApiException, String.valueOf(cause));
            assertEquals(StatusCode.Code.NOT_FOUND, ((ApiException) cause).getStatusCode().getCode());
        } catch (java.util.concurrent.TimeoutException e) {
            subscriber.stopAsync();
            fail("the subscriber was not told within 10 s that its subscription is gone");
        }
    }

    @Test
    void everySubscriptionOfATopicGetsEveryMessage() throws InterruptedException {
        String topic = newTopic("fanout");
        String first = newSubscription(topic, b -> b);
        String second = newSubscription(topic, b -> b);
        String id = publish(topic, "tick");
        assertEquals(id, pullOne(first).getMessage().getMessageId());
        assertEquals(id, pullOne(second).getMessage().getMessageId());
    }

    @Test
    void publishedMessagesKeepTheirIdPublishTimeAttributesAndOrderingKey() throws Exception {
        String topic = newTopic("publish");
        String subscription = newSubscription(topic, b -> b.setEnableMessageOrdering(true));
        Publisher publisher = clients.publisher(topic).setEnableMessageOrdering(true).build();
        BlockingQueue<PubsubMessage> received = new LinkedBlockingQueue<>();
        Subscriber subscriber = clients.subscriber(subscription, (message, reply) -> {
            received.add(message);
            reply.ack();
        }).build();
        subscriber.startAsync().awaitRunning();
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(publisher.publish(PubsubMessage.newBuilder()
                        .setData(ByteString.copyFromUtf8("tick " + i))
                        .putAttributes("job", "backup")
                        .putAttributes("n", Integer.toString(i))
                        .setOrderingKey("backup")
                        .build()).get(10, TimeUnit.SECONDS));
            }
            assertEquals(5, Set.copyOf(ids).size(), "every message gets its own id");
            for (int i = 0; i < 5; i++) {
                PubsubMessage message = received.poll(10, TimeUnit.SECONDS);
                assertNotNull(message, "message " + i + " arrives");
                assertEquals(ids.get(i), message.getMessageId(), "in order of the ordering key");
                assertEquals("tick " + i, message.getData().toStringUtf8());
                assertEquals(Map.of("job", "backup", "n", Integer.toString(i)), ownAttributes(message));
                assertEquals("backup", message.getOrderingKey());
                assertTrue(message.getPublishTime().getSeconds() > 0, "publish time set");
            }
        } finally {
            subscriber.stopAsync().awaitTerminated();
            publisher.shutdown();
            publisher.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void messageOverTenMegabytesIsRejected() {
        assumeTrue(target.embedded(), "the official emulator does not enforce the 10 MB message limit");
        String topic = newTopic("huge");
        PubsubMessage huge = PubsubMessage.newBuilder().setData(ByteString.copyFrom(new byte[10_000_001])).build();
        assertCode(StatusCode.Code.INVALID_ARGUMENT, () -> clients.topics().publish(TestClients.topic(topic), List.of(huge)));
    }

    @Test
    void retainedBytesBeyondTheBoundAreRefusedWithResourceExhausted() throws InterruptedException {
        assumeTrue(target.embedded(), "the official emulator has no bound on retained bytes");
        // A broker of its own, so the small bound does not starve the other tests.
        try (EmbeddedPubSubServer small = EmbeddedPubSubServer.start("127.0.0.1", 0, EmbeddedPubSubServer.daemonThreads(),
                BrokerOptions.inMemory().withMaxRetainedBytes(64 * 1024));
             TestClients smallClients = new TestClients("127.0.0.1:" + small.port())) {
            smallClients.topics().createTopic(TestClients.topic("bounded"));
            smallClients.subscriptions().createSubscription(Subscription.newBuilder()
                    .setName(TestClients.subscription("bounded-sub").toString())
                    .setTopic(TestClients.topic("bounded").toString()).build());
            PubsubMessage block = PubsubMessage.newBuilder().setData(ByteString.copyFrom(new byte[20 * 1024])).build();
            for (int i = 0; i < 3; i++) {
                smallClients.topics().publish(TestClients.topic("bounded"), List.of(block));
            }
            // The client retries RESOURCE_EXHAUSTED for up to a minute (as a Publisher should); ask once.
            ResourceExhaustedException refused = assertThrows(ResourceExhaustedException.class,
                    () -> smallClients.topics().publishCallable().call(com.google.pubsub.v1.PublishRequest.newBuilder()
                                    .setTopic(TestClients.topic("bounded").toString()).addMessages(block).build(),
                            com.google.api.gax.grpc.GrpcCallContext.createDefault().withRetrySettings(
                                    com.google.api.gax.retrying.RetrySettings.newBuilder().setMaxAttempts(1)
                                            .setTotalTimeout(org.threeten.bp.Duration.ofSeconds(10)).build())));
            assertTrue(refused.getMessage().contains("retains at most"), refused.getMessage());

            ReceivedMessage one = smallClients.subscriptions().pull(TestClients.subscription("bounded-sub"), 1).getReceivedMessages(0);
            smallClients.subscriptions().acknowledge(TestClients.subscription("bounded-sub"), List.of(one.getAckId()));
            smallClients.topics().publish(TestClients.topic("bounded"), List.of(block));
        }
    }

    @Test
    void nackedMessageComesBackWithTheNextDeliveryAttempt() throws Exception {
        String topic = newTopic("nack");
        String deadLetters = newTopic("nack-dlq");
        // Cloud Pub/Sub sets delivery_attempt only on subscriptions with a dead-letter policy.
        String subscription = newSubscription(topic, b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic(TestClients.topic(deadLetters).toString()).setMaxDeliveryAttempts(5)));
        BlockingQueue<Integer> attempts = new LinkedBlockingQueue<>();
        BlockingQueue<String> ids = new LinkedBlockingQueue<>();
        Subscriber subscriber = clients.subscriber(subscription, (message, reply) -> {
            Integer attempt = Subscriber.getDeliveryAttempt(message);
            attempts.add(attempt == null ? 0 : attempt);
            ids.add(message.getMessageId());
            if (attempt != null && attempt == 1) {
                reply.nack();
            } else {
                reply.ack();
            }
        }).build();
        subscriber.startAsync().awaitRunning();
        try {
            String id = publish(topic, "tick");
            assertEquals(1, attempts.poll(10, TimeUnit.SECONDS));
            assertEquals(2, attempts.poll(10, TimeUnit.SECONDS), "redelivered at once after the nack");
            assertEquals(List.of(id, id), List.of(ids.take(), ids.take()));
            assertNull(attempts.poll(1, TimeUnit.SECONDS), "acked on the second attempt, so not delivered again");
        } finally {
            subscriber.stopAsync().awaitTerminated();
        }
    }

    @Test
    void leaseThatIsNotRenewedLapsesAndTheMessageIsRedelivered() throws InterruptedException {
        String topic = newTopic("lapse");
        String subscription = newSubscription(topic, b -> b.setAckDeadlineSeconds(10));
        String id = publish(topic, "tick");
        ReceivedMessage first = pullOne(subscription);
        assertTrue(pullNow(subscription, 1).isEmpty(), "leased, so not handed out twice");

        target.letLeasesLapse(10);

        ReceivedMessage again = pullOne(subscription);
        assertEquals(id, again.getMessage().getMessageId());
        assertNotEquals(first.getAckId(), again.getAckId());
        ack(subscription, again);
        // Outside exactly-once mode an ack with the lapsed lease's id is ignored, not an error.
        ack(subscription, first);
        target.letLeasesLapse(10);
        assertTrue(pullNow(subscription, 1).isEmpty(), "acked, so never redelivered");
    }

    @Test
    void brokersOwnSweeperRedeliversALapsedLease() throws InterruptedException {
        assumeTrue(target.embedded(), "moves the embedded broker's clock and leaves the redelivery to its background sweeper");
        String topic = newTopic("sweeper");
        String subscription = newSubscription(topic, b -> b.setAckDeadlineSeconds(10));
        publish(topic, "tick");
        ReceivedMessage first = pullOne(subscription);
        ((EmbeddedTarget) target).advanceClockOnly(java.time.Duration.ofSeconds(11));
        ReceivedMessage again = pullOne(subscription);
        assertEquals(first.getMessage().getMessageId(), again.getMessage().getMessageId());
        assertEquals(2, again.getDeliveryAttempt());
    }

    @Test
    void messageIsDeadLetteredAfterMaxDeliveryAttempts() throws InterruptedException {
        assumeTrue(target.embedded(), "the official emulator counts delivery attempts but never forwards to the dead-letter topic");
        String topic = newTopic("dlq-source");
        String deadLetters = newTopic("dlq");
        String deadLetterSubscription = newSubscription(deadLetters, b -> b);
        String subscription = newSubscription(topic, b -> b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic(TestClients.topic(deadLetters).toString()).setMaxDeliveryAttempts(5)));
        publish(topic, "poison");
        for (int attempt = 1; attempt <= 5; attempt++) {
            ReceivedMessage message = pullOne(subscription);
            assertEquals(attempt, message.getDeliveryAttempt());
            nack(subscription, message);
        }
        ReceivedMessage dead = pullOne(deadLetterSubscription);
        assertEquals("poison", dead.getMessage().getData().toStringUtf8());
        assertEquals("5", dead.getMessage().getAttributesOrDefault("CloudPubSubDeadLetterSourceDeliveryCount", "absent"));
        Thread.sleep(200);
        assertTrue(pullNow(subscription, 1).isEmpty(), "gone from the source subscription");
    }

    @Test
    void nackedMessageWaitsOutTheRetryBackoff() throws InterruptedException {
        assumeTrue(target.embedded(), "the official emulator ignores the retry policy and redelivers a nacked message at once;"
                + " on the embedded broker the backoff is checked by moving its clock");
        String topic = newTopic("backoff");
        String subscription = newSubscription(topic, b -> b.setRetryPolicy(RetryPolicy.newBuilder()
                .setMinimumBackoff(seconds(30)).setMaximumBackoff(seconds(600))));
        publish(topic, "tick");
        nack(subscription, pullOne(subscription));
        Thread.sleep(200);
        assertTrue(pullNow(subscription, 1).isEmpty(), "still backing off");
        target.passTime(java.time.Duration.ofSeconds(31));
        assertEquals(2, pullOne(subscription).getDeliveryAttempt());
    }

    @Test
    void twoSubscribersOnOneSubscriptionNeverHoldTheSameMessageAtOnce() throws Exception {
        String topic = newTopic("shared");
        String subscription = newSubscription(topic, b -> b.setAckDeadlineSeconds(60));
        int count = 200;
        Set<String> held = ConcurrentHashMap.newKeySet();
        Set<String> done = ConcurrentHashMap.newKeySet();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger[] perSubscriber = {new AtomicInteger(), new AtomicInteger()};
        CountDownLatch all = new CountDownLatch(count);
        List<Subscriber> subscribers = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            AtomicInteger mine = perSubscriber[s];
            subscribers.add(clients.subscriber(subscription, (message, reply) -> {
                if (!held.add(message.getMessageId())) {
                    violations.add(message.getMessageId());
                }
                mine.incrementAndGet();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                held.remove(message.getMessageId());
                reply.ack();
                if (done.add(message.getMessageId())) {
                    all.countDown();
                }
            }).setFlowControlSettings(com.google.api.gax.batching.FlowControlSettings.newBuilder()
                    .setMaxOutstandingElementCount(5L).build()).setParallelPullCount(1).build());
        }
        subscribers.forEach(s -> s.startAsync().awaitRunning());
        Publisher publisher = clients.publisher(topic).build();
        try {
            List<ApiFuture<String>> published = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                published.add(publisher.publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("m" + i)).build()));
            }
            for (ApiFuture<String> future : published) {
                future.get(10, TimeUnit.SECONDS);
            }
            assertTrue(all.await(30, TimeUnit.SECONDS), "every message arrives; got " + done.size());
            assertEquals(List.of(), violations, "messages held by both subscribers at once");
            assertTrue(perSubscriber[0].get() > 0 && perSubscriber[1].get() > 0,
                    "both subscribers share the work: " + perSubscriber[0] + " / " + perSubscriber[1]);
        } finally {
            subscribers.forEach(s -> s.stopAsync().awaitTerminated());
            publisher.shutdown();
            publisher.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void unackedMessagesOlderThanTheRetentionAreDropped() throws InterruptedException {
        assumeTrue(target.embedded(), "the official emulator keeps every message regardless of the retention;"
                + " on the embedded broker retention is checked by moving its clock");
        String topic = newTopic("retention");
        String subscription = newSubscription(topic, b -> b.setMessageRetentionDuration(seconds(600)));
        publish(topic, "old");
        target.passTime(java.time.Duration.ofSeconds(400));
        String fresh = publish(topic, "fresh");
        target.passTime(java.time.Duration.ofSeconds(201));
        ReceivedMessage survivor = pullOne(subscription);
        assertEquals(fresh, survivor.getMessage().getMessageId(), "the old message is gone, the younger one stays");
        assertTrue(pullNow(subscription, 1).isEmpty());
    }

    @Test
    void exactlyOnceAckWithALapsedAckIdIsRefusedWithErrorInfoKeyedByTheAckId() throws InterruptedException {
        String topic = newTopic("exactly-once-unary");
        String subscription = newSubscription(topic, b -> b.setEnableExactlyOnceDelivery(true).setAckDeadlineSeconds(10));
        publish(topic, "tick");
        ReceivedMessage first = pullOne(subscription);
        target.letLeasesLapse(10);
        ReceivedMessage second = pullOne(subscription);

        InvalidArgumentException refused = assertThrows(InvalidArgumentException.class, () -> ack(subscription, first));
        com.google.rpc.Status status = io.grpc.protobuf.StatusProto.fromThrowable(refused.getCause());
        assertNotNull(status, "the failure carries a google.rpc.Status");
        Map<String, String> metadata = new java.util.HashMap<>();
        for (com.google.protobuf.Any detail : status.getDetailsList()) {
            if (detail.is(com.google.rpc.ErrorInfo.class)) {
                try {
                    com.google.rpc.ErrorInfo info = detail.unpack(com.google.rpc.ErrorInfo.class);
                    assertEquals("EXACTLY_ONCE_ACKID_FAILURE", info.getReason());
                    metadata.putAll(info.getMetadataMap());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    fail(e);
                }
            }
        }
        assertEquals(Map.of(first.getAckId(), "PERMANENT_FAILURE_INVALID_ACK_ID"), metadata);
        ack(subscription, second);
    }

    @Test
    void exactlyOnceAckWithALapsedAckIdFailsInTheClient() throws Exception {
        assumeTrue(target.embedded(), "lapsing a lease the Subscriber keeps extending needs the broker's clock moved past the"
                + " client's 60 s exactly-once deadline; on the official emulator that is over a minute of real time");
        String topic = newTopic("exactly-once");
        String subscription = newSubscription(topic, b -> b.setEnableExactlyOnceDelivery(true));
        BlockingQueue<AckReplyConsumerWithResponse> replies = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> attempts = new LinkedBlockingQueue<>();
        Subscriber subscriber = clients.subscriberWithAckResponse(subscription,
                (message, reply) -> {
                    attempts.add(Subscriber.getDeliveryAttempt(message) == null ? 0 : Subscriber.getDeliveryAttempt(message));
                    replies.add(reply);
                }).build();
        subscriber.startAsync().awaitRunning();
        try {
            publish(topic, "tick");
            AckReplyConsumerWithResponse first = replies.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "delivered");
            // Past the longest deadline the client may have asked for: the lease lapses, the message is redelivered.
            target.letLeasesLapse(600);
            AckReplyConsumerWithResponse second = replies.poll(10, TimeUnit.SECONDS);
            assertNotNull(second, "redelivered after the lease lapsed");

            assertEquals(AckResponse.INVALID, first.ack().get(10, TimeUnit.SECONDS), "the lapsed ack id is refused");
            assertEquals(AckResponse.SUCCESSFUL, second.ack().get(10, TimeUnit.SECONDS), "the current one is accepted");
            assertEquals(List.of(1, 2), List.of(attempts.take(), attempts.take()));
        } finally {
            subscriber.stopAsync().awaitTerminated();
        }
    }

    /** A StreamingPull spoken directly, as the client library would, to see exactly what the server sends. */
    private final class RawStream implements AutoCloseable {
        final BlockingQueue<com.google.pubsub.v1.StreamingPullResponse> responses = new LinkedBlockingQueue<>();
        final io.grpc.stub.StreamObserver<com.google.pubsub.v1.StreamingPullRequest> requests;

        RawStream(String subscriptionId, long maxOutstandingMessages) {
            requests = com.google.pubsub.v1.SubscriberGrpc.newStub(clients.channel()).streamingPull(new io.grpc.stub.StreamObserver<>() {
                public void onNext(com.google.pubsub.v1.StreamingPullResponse response) {
                    responses.add(response);
                }

                public void onError(Throwable t) {
                }

                public void onCompleted() {
                }
            });
            requests.onNext(com.google.pubsub.v1.StreamingPullRequest.newBuilder()
                    .setSubscription(TestClients.subscription(subscriptionId).toString())
                    .setStreamAckDeadlineSeconds(60)
                    .setMaxOutstandingMessages(maxOutstandingMessages)
                    .setClientId("conformance")
                    .setProtocolVersion(1)
                    .build());
        }

        List<ReceivedMessage> receive(int atLeast, long seconds) throws InterruptedException {
            List<ReceivedMessage> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (got.size() < atLeast && System.nanoTime() < deadline) {
                com.google.pubsub.v1.StreamingPullResponse response = responses.poll(100, TimeUnit.MILLISECONDS);
                if (response != null) {
                    got.addAll(response.getReceivedMessagesList());
                }
            }
            return got;
        }

        @Override
        public void close() {
            requests.onCompleted();
        }
    }

    @Test
    void streamHeartbeatIsAnsweredWithAnEmptyResponse() throws Exception {
        assumeTrue(target.embedded(), "the official emulator sends nothing back for a heartbeat within the client's 15 s"
                + " (the Java client then closes and reopens its stream)");
        String topic = newTopic("heartbeat");
        String subscription = newSubscription(topic, b -> b);
        publish(topic, "tick");
        try (RawStream stream = new RawStream(subscription, 10)) {
            assertEquals(1, stream.receive(1, 5).size());
            stream.responses.clear();
            // The Java client's heartbeat: an empty request; it restarts the stream unless a response
            // comes within 15 s (SERVER_PING_TIMEOUT_DURATION in google-cloud-pubsub 1.160.0).
            stream.requests.onNext(com.google.pubsub.v1.StreamingPullRequest.getDefaultInstance());
            com.google.pubsub.v1.StreamingPullResponse heartbeat = stream.responses.poll(15, TimeUnit.SECONDS);
            assertNotNull(heartbeat, "heartbeat answered");
            assertEquals(0, heartbeat.getReceivedMessagesCount());
        }
    }

    @Test
    void streamGetsNoMoreThanItsFlowControlAllows() throws Exception {
        assumeTrue(target.embedded(), "the official emulator ignores a stream's max_outstanding_messages and sends every waiting message");
        String topic = newTopic("stream");
        String subscription = newSubscription(topic, b -> b);
        for (int i = 0; i < 5; i++) {
            publish(topic, "m" + i);
        }
        try (RawStream stream = new RawStream(subscription, 2)) {
            List<ReceivedMessage> got = stream.receive(2, 5);
            assertEquals(2, got.size(), "as many as the stream's max_outstanding_messages");
            assertTrue(stream.receive(1, 1).isEmpty(), "no third message while two are outstanding");
            ack(subscription, got.get(0));
            assertEquals(1, stream.receive(1, 5).size(), "an ack frees room for the next message");
        }
    }

    @Test
    void unaryPullAndStreamingPullDrawFromTheSameSubscription() throws Exception {
        String topic = newTopic("mixed");
        String subscription = newSubscription(topic, b -> b.setAckDeadlineSeconds(60));
        publish(topic, "first");
        ReceivedMessage pulled = pullOne(subscription);
        BlockingQueue<PubsubMessage> streamed = new LinkedBlockingQueue<>();
        Subscriber subscriber = clients.subscriber(subscription, (message, reply) -> {
            streamed.add(message);
            reply.ack();
        }).build();
        subscriber.startAsync().awaitRunning();
        try {
            publish(topic, "second");
            PubsubMessage got = streamed.poll(10, TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals("second", got.getData().toStringUtf8(), "the leased first message is not streamed");
            ack(subscription, pulled);
            assertNull(streamed.poll(500, TimeUnit.MILLISECONDS));
            assertFalse(pulled.getAckId().isEmpty());
        } finally {
            subscriber.stopAsync().awaitTerminated();
        }
    }
}
