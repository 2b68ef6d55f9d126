package io.cronexecutor.pubsub.embedded;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The standalone launcher (what several executors on one machine share) with a data directory:
 * killed without warning, restarted on the same directory, it still has every unacked tick.
 */
class StandaloneBrokerRestartIT {

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process launch(int port) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                EmbeddedPubSubServer.class.getName(), "--host=127.0.0.1", "--port=" + port, "--data-dir=" + dataDir)
                .redirectErrorStream(true)
                .start();
        processes.add(process);
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("listening on")) {
                        listening.complete(line);
                    }
                }
                listening.completeExceptionally(new IllegalStateException("broker exited with " + process.waitFor()));
            } catch (IOException | InterruptedException e) {
                listening.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        listening.get(30, TimeUnit.SECONDS);
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void unackedTicksSurviveTheBrokerBeingKilledAndRestarted() throws Exception {
        int port = freePort();
        Process first = launch(port);
        List<String> ids = new ArrayList<>();
        String leasedId;
        try (TestClients clients = new TestClients("127.0.0.1:" + port)) {
            clients.topics().createTopic(TestClients.topic("ticks"));
            clients.subscriptions().createSubscription(Subscription.newBuilder()
                    .setName(TestClients.subscription("ticks-job").toString())
                    .setTopic(TestClients.topic("ticks").toString())
                    .setAckDeadlineSeconds(30)
                    .build());
            Publisher publisher = clients.publisher("ticks").build();
            for (int i = 0; i < 3; i++) {
                ids.add(publisher.publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("tick " + i))
                        .putAttributes("n", Integer.toString(i)).build()).get(10, TimeUnit.SECONDS));
            }
            publisher.shutdown();
            publisher.awaitTermination(5, TimeUnit.SECONDS);
            String subscription = TestClients.subscription("ticks-job").toString();
            ReceivedMessage acked = clients.subscriptions().pull(subscription, 1).getReceivedMessages(0);
            clients.subscriptions().acknowledge(subscription, List.of(acked.getAckId()));
            leasedId = clients.subscriptions().pull(subscription, 1).getReceivedMessages(0).getMessage().getMessageId();
            // Acks and attempt counts are committed in the background within 200 ms; publishes before they are confirmed.
            Thread.sleep(1000);
        }

        first.destroyForcibly();
        first.waitFor(10, TimeUnit.SECONDS);
        launch(port);

        try (TestClients clients = new TestClients("127.0.0.1:" + port)) {
            BlockingQueue<PubsubMessage> received = new LinkedBlockingQueue<>();
            Subscriber subscriber = clients.subscriber("ticks-job", (message, reply) -> {
                received.add(message);
                reply.ack();
            }).build();
            subscriber.startAsync().awaitRunning();
            try {
                Map<String, Integer> attempts = new java.util.HashMap<>();
                for (int i = 0; i < 2; i++) {
                    PubsubMessage message = received.poll(10, TimeUnit.SECONDS);
                    assertNotNull(message, "unacked tick " + i + " is back after the restart");
                    attempts.put(message.getMessageId(), Subscriber.getDeliveryAttempt(message));
                }
                assertEquals(Map.of(ids.get(1), 2, ids.get(2), 1), attempts,
                        "the leased tick comes back as its second attempt, the waiting one as its first");
                assertEquals(ids.get(1), leasedId);
                assertNull(received.poll(500, TimeUnit.MILLISECONDS), "the acked tick stays acked");
            } finally {
                subscriber.stopAsync().awaitTerminated();
            }
            assertEquals(Subscription.newBuilder().setAckDeadlineSeconds(30).build().getAckDeadlineSeconds(),
                    clients.subscriptions().getSubscription(TestClients.subscription("ticks-job")).getAckDeadlineSeconds());
        }
    }
}
