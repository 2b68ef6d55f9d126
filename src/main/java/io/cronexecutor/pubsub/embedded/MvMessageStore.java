package io.cronexecutor.pubsub.embedded;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The durable store on H2's MVStore: a crash-safe, append-only, copy-on-write file kept by the H2
 * project, in pure Java so it loads from the WAR. Values are the Pub/Sub protobufs themselves, so
 * no file format of our own exists to get wrong. One map per subscription holds its unacked
 * messages keyed by sequence; acking removes the entry.
 */
final class MvMessageStore implements MessageStore {

    static final String FILE_NAME = "pubsub.mv.db";
    private static final String MESSAGES = "messages:";

    private final MVStore store;
    private final java.util.concurrent.atomic.AtomicLong commitsRequested = new java.util.concurrent.atomic.AtomicLong();
    private final Object commitLock = new Object();
    private long durableUpTo; // guarded by commitLock
    private final MVMap<String, byte[]> topics;
    private final MVMap<String, byte[]> subscriptions;
    private final MVMap<String, Long> meta;
    private final Map<String, MVMap<Long, byte[]>> messageMaps = new ConcurrentHashMap<>();

    private MvMessageStore(MVStore store) {
        this.store = store;
        this.topics = store.openMap("topics");
        this.subscriptions = store.openMap("subscriptions");
        this.meta = store.openMap("meta");
    }

    static MvMessageStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory " + dir, e);
        }
        // Acks and deadline changes ride on the background commit (a lost ack only means a
        // redelivery); publishes commit before they are confirmed.
        MVStore store = new MVStore.Builder().fileName(dir.resolve(FILE_NAME).toString()).open();
        store.setAutoCommitDelay(200);
        return new MvMessageStore(store);
    }

    @Override
    public void putTopic(Topic topic) {
        topics.put(topic.getName(), topic.toByteArray());
    }

    @Override
    public void removeTopic(String name) {
        topics.remove(name);
    }

    @Override
    public List<Topic> topics() {
        List<Topic> out = new ArrayList<>();
        for (byte[] bytes : topics.values()) {
            out.add(parse(() -> Topic.parseFrom(bytes)));
        }
        return out;
    }

    @Override
    public void putSubscription(Subscription subscription) {
        subscriptions.put(subscription.getName(), subscription.toByteArray());
    }

    @Override
    public void removeSubscription(String name) {
        subscriptions.remove(name);
        MVMap<Long, byte[]> messages = messageMaps.remove(name);
        store.removeMap(messages != null ? messages : store.openMap(MESSAGES + name));
    }

    @Override
    public List<Subscription> subscriptions() {
        List<Subscription> out = new ArrayList<>();
        for (byte[] bytes : subscriptions.values()) {
            out.add(parse(() -> Subscription.parseFrom(bytes)));
        }
        return out;
    }

    @Override
    public void putMessage(String subscription, long sequence, PubsubMessage message, int attempts) {
        messagesOf(subscription).put(sequence,
                ReceivedMessage.newBuilder().setMessage(message).setDeliveryAttempt(attempts).build().toByteArray());
    }

    @Override
    public void removeMessage(String subscription, long sequence) {
        messagesOf(subscription).remove(sequence);
    }

    @Override
    public List<StoredMessage> messages(String subscription) {
        List<StoredMessage> out = new ArrayList<>();
        for (Map.Entry<Long, byte[]> entry : messagesOf(subscription).entrySet()) {
            ReceivedMessage stored = parse(() -> ReceivedMessage.parseFrom(entry.getValue()));
            out.add(new StoredMessage(entry.getKey(), stored.getMessage(), stored.getDeliveryAttempt()));
        }
        return out;
    }

    @Override
    public long lastSequence() {
        return meta.getOrDefault("lastSequence", 0L);
    }

    /** Only ever raises the value: concurrent publishes may report their sequence out of order. */
    @Override
    public synchronized void lastSequence(long sequence) {
        if (sequence > lastSequence()) {
            meta.put("lastSequence", sequence);
        }
    }

    /**
     * Group commit: each caller takes a ticket after its write; whoever holds the lock commits
     * every write ticketed so far, and callers whose ticket that commit covered return without
     * writing again. With a hundred concurrent creates or publishes one store write then serves
     * them all, where one each cost about half a millisecond apiece here.
     */
    @Override
    public void commit() {
        long ticket = commitsRequested.incrementAndGet();
        synchronized (commitLock) {
            if (durableUpTo >= ticket) {
                return;
            }
            long upTo = commitsRequested.get(); // every write ticketed so far happened before this commit
            store.commit();
            durableUpTo = upTo;
        }
    }

    @Override
    public void close() {
        store.close();
    }

    private MVMap<Long, byte[]> messagesOf(String subscription) {
        return messageMaps.computeIfAbsent(subscription, name -> store.openMap(MESSAGES + name));
    }

    private interface Parser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Parser<T> parser) {
        try {
            return parser.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the broker's data file holds an unreadable record", e);
        }
    }
}
