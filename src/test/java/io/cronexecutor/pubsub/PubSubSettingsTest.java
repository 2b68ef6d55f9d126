package io.cronexecutor.pubsub;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PubSubSettingsTest {

    @Test
    void nothingConfiguredMeansTheEmbeddedBroker() {
        PubSubSettings s = PubSubSettings.resolve(Optional.empty(), Optional.empty(), "127.0.0.1", 0);
        assertEquals(PubSubMode.EMBEDDED, s.mode());
        assertEquals(PubSubSettings.DEFAULT_LOCAL_PROJECT, s.project());
    }

    @Test
    void aProjectMeansCloudPubSub() {
        PubSubSettings s = PubSubSettings.resolve(Optional.of("my-proj"), Optional.empty(), "127.0.0.1", 0);
        assertEquals(PubSubMode.CLOUD, s.mode());
        assertEquals("my-proj", s.project());
    }

    @Test
    void anEmulatorHostWinsOverTheProject() {
        PubSubSettings s = PubSubSettings.resolve(Optional.of("my-proj"), Optional.of("localhost:8085"), "127.0.0.1", 0);
        assertEquals(PubSubMode.EMULATOR, s.mode());
        assertEquals(Optional.of("localhost:8085"), s.endpoint());
        assertEquals("my-proj", s.project());
    }

    @Test
    void blankValuesCountAsUnset() {
        assertEquals(PubSubMode.EMBEDDED, PubSubSettings.resolve(Optional.of(" "), Optional.of(""), "127.0.0.1", 0).mode());
    }

    @Test
    void outOfRangeEmbeddedPortIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PubSubSettings.resolve(Optional.empty(), Optional.empty(), "127.0.0.1", 70000));
        assertEquals("cron.pubsub.embedded.port = '70000': expected a port from 0 (any free port) to 65535", e.getMessage());
    }
}
