package io.cronexecutor.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerSyncSettingsTest {

    private static Optional<SchedulerSyncSettings> resolve(Map<String, String> values, String pubsubProject) {
        return SchedulerSyncSettings.resolve(key -> Optional.ofNullable(values.get(key)), Optional.ofNullable(pubsubProject));
    }

    private static Map<String, String> enabled(String... pairs) {
        Map<String, String> values = new HashMap<>(Map.of("cron.scheduler.cloud.enabled", "true",
                "cron.scheduler.cloud.location", "us-central1"));
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void syncIsOffUnlessEnabled() {
        assertTrue(resolve(Map.of(), "p").isEmpty());
        assertTrue(resolve(Map.of("cron.scheduler.cloud.enabled", "false"), "p").isEmpty());
    }

    @Test
    void jobsLiveInThePubSubProjectUnderTheDefaultPrefix() {
        SchedulerSyncSettings settings = resolve(enabled(), "fleet").orElseThrow();

        assertEquals("projects/fleet/locations/us-central1", settings.parent());
        assertEquals("projects/fleet/locations/us-central1/jobs/cron-backup", settings.jobName("backup"));
        assertEquals(Duration.ofMinutes(10), settings.interval());
    }

    @Test
    void everySettingCanBeGiven() {
        SchedulerSyncSettings settings = resolve(enabled("cron.scheduler.cloud.project", "ops",
                "cron.scheduler.cloud.job-prefix", "fleet-a_", "cron.scheduler.cloud.sync-interval", "1h",
                "cron.scheduler.cloud.emulator-host", "localhost:8091"), "fleet").orElseThrow();

        assertEquals("projects/ops/locations/us-central1/jobs/fleet-a_backup", settings.jobName("backup"));
        assertEquals(Duration.ofHours(1), settings.interval());
        assertEquals(Optional.of("localhost:8091"), settings.emulatorHost());
    }

    @Test
    void eachBadValueIsNamedWithWhatWasExpected() {
        assertMessage("cron.scheduler.cloud.enabled = 'on': expected true or false", Map.of("cron.scheduler.cloud.enabled", "on"), "p");
        assertMessage("cron.scheduler.cloud.project is not set: syncing Cloud Scheduler (cron.scheduler.cloud.enabled = true)"
                + " needs the project of its jobs; set it, or cron.pubsub.project", enabled(), null);
        Map<String, String> noLocation = enabled();
        noLocation.remove("cron.scheduler.cloud.location");
        assertMessage("cron.scheduler.cloud.location is not set: syncing Cloud Scheduler (cron.scheduler.cloud.enabled = true)"
                + " needs the region of its jobs, such as us-central1", noLocation, "p");
        assertMessage("cron.scheduler.cloud.location = 'US Central': expected a region such as us-central1",
                enabled("cron.scheduler.cloud.location", "US Central"), "p");
        assertMessage("cron.scheduler.cloud.job-prefix = 'cron/': expected letters, digits, '-' and '_', at most 100 characters",
                enabled("cron.scheduler.cloud.job-prefix", "cron/"), "p");
        assertMessage("cron.scheduler.cloud.sync-interval = '5s': expected a duration from 1m to 24h, such as 10m",
                enabled("cron.scheduler.cloud.sync-interval", "5s"), "p");
        assertMessage("cron.scheduler.cloud.emulator-host = 'localhost': expected host:port",
                enabled("cron.scheduler.cloud.emulator-host", "localhost"), "p");
    }

    @Test
    void theEmbeddedSchedulerAndCloudSchedulerCannotBothPublish() {
        Optional<SchedulerSyncSettings> sync = resolve(enabled(), "fleet");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchedulerSyncSettings.requireOnePublisher(true, sync));
        assertEquals("cron.scheduler.enabled = 'true': with cron.scheduler.cloud.enabled = true Cloud Scheduler publishes"
                + " the ticks, and both would publish every tick twice; turn one off", e.getMessage());
        SchedulerSyncSettings.requireOnePublisher(false, sync);
        SchedulerSyncSettings.requireOnePublisher(true, Optional.empty());
    }

    private static void assertMessage(String expected, Map<String, String> values, String pubsubProject) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(values, pubsubProject));
        assertEquals(expected, e.getMessage());
    }
}
