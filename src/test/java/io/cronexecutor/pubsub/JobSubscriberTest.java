package io.cronexecutor.pubsub;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.PubsubMessage;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.run.Tick;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JobSubscriberTest {

    @Test
    void leaseOutlivesTheLongestPossibleRun() {
        JobDefinition base = TestJobs.job("j", "true");
        JobDefinition job = base.withPolicy(base.policy().withTimeout(Duration.ofHours(3)).withKillGrace(Duration.ofSeconds(30)));
        assertEquals(Duration.ofHours(3).plusSeconds(30).plusMinutes(5), JobSubscriber.maxLease(job));
    }

    @Test
    void messageBecomesATickWithoutTheClientsOwnAttribute() {
        Instant published = Instant.parse("2026-12-03T10:15:30.250Z");
        PubsubMessage message = PubsubMessage.newBuilder()
                .setMessageId("17")
                .setData(ByteString.copyFromUtf8("payload"))
                .putAttributes("region", "eu")
                .putAttributes("googclient_deliveryattempt", "4")
                .setPublishTime(Timestamps.fromMillis(published.toEpochMilli()))
                .build();
        Tick tick = JobSubscriber.tick(message);
        assertEquals("17", tick.messageId());
        assertArrayEquals("payload".getBytes(), tick.data());
        assertEquals(Map.of("region", "eu"), tick.attributes());
        assertEquals(published, tick.publishTime());
        assertEquals(4, tick.deliveryAttempt());
    }
}
