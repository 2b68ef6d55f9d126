package io.cronexecutor.logging;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudLoggingSettingsTest {

    private static Optional<CloudLoggingSettings> resolve(Map<String, String> values, String pubsubProject) {
        return CloudLoggingSettings.resolve(key -> Optional.ofNullable(values.get(key)), Optional.ofNullable(pubsubProject));
    }

    private static Map<String, String> enabled(String... pairs) {
        Map<String, String> values = new HashMap<>();
        values.put("cron.logging.cloud.enabled", "true");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void cloudLoggingIsOffUnlessEnabled() {
        assertTrue(resolve(Map.of(), "p").isEmpty());
        assertTrue(resolve(Map.of("cron.logging.cloud.enabled", "false"), "p").isEmpty());
    }

    @Test
    void logsGoToThePubSubProjectUnderTheDefaultLogName() {
        CloudLoggingSettings settings = resolve(enabled(), "fleet-project").orElseThrow();

        assertEquals("fleet-project", settings.project());
        assertEquals("cron-executor", settings.logName());
        assertEquals(8L << 20, settings.bufferBytes());
        assertTrue(settings.emulatorHost().isEmpty());
    }

    @Test
    void everySettingCanBeGiven() {
        CloudLoggingSettings settings = resolve(enabled("cron.logging.cloud.project", "logs-project",
                "cron.logging.cloud.log-name", "cron/jobs", "cron.logging.cloud.buffer-size", "64MiB",
                "cron.logging.cloud.emulator-host", "localhost:8090"), "fleet-project").orElseThrow();

        assertEquals("logs-project", settings.project());
        assertEquals("cron/jobs", settings.logName());
        assertEquals(64L << 20, settings.bufferBytes());
        assertEquals(Optional.of("localhost:8090"), settings.emulatorHost());
    }

    @Test
    void eachBadValueIsNamedWithWhatWasExpected() {
        assertMessage("cron.logging.cloud.enabled = 'yes': expected true or false",
                Map.of("cron.logging.cloud.enabled", "yes"), "p");
        assertMessage("cron.logging.cloud.project is not set: Cloud Logging (cron.logging.cloud.enabled = true) needs the"
                + " project to write to; set it, or cron.pubsub.project", enabled(), null);
        assertMessage("cron.logging.cloud.log-name = 'my log': expected a log id of letters, digits, '/', '_', '-' and '.',"
                + " at most 512 characters", enabled("cron.logging.cloud.log-name", "my log"), "p");
        assertMessage("cron.logging.cloud.buffer-size = '1k': expected a size from 64KiB to 1024MiB, such as 8MiB",
                enabled("cron.logging.cloud.buffer-size", "1k"), "p");
        assertMessage("cron.logging.cloud.buffer-size = 'lots': expected a size from 64KiB to 1024MiB, such as 8MiB",
                enabled("cron.logging.cloud.buffer-size", "lots"), "p");
        assertMessage("cron.logging.cloud.emulator-host = 'localhost': expected host:port",
                enabled("cron.logging.cloud.emulator-host", "localhost"), "p");
    }

    private static void assertMessage(String expected, Map<String, String> values, String pubsubProject) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(values, pubsubProject));
        assertEquals(expected, e.getMessage());
    }
}
