package io.cronexecutor.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobCatalogLoaderTest {

    private static ConfigView config(String... keyValues) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new ConfigView() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(map.get(key));
            }

            @Override
            public Iterable<String> names() {
                return map.keySet();
            }
        };
    }

    private static String failure(ConfigView config) {
        return assertThrows(JobConfigException.class, () -> JobCatalogLoader.load(config)).getMessage();
    }

    @Test
    void fullJobDefinitionIsRead() {
        List<JobDefinition> jobs = JobCatalogLoader.load(config(
                "jobs", "hello, backup",
                "jobs.hello.command", "echo hi",
                "jobs.backup.topic", "nightly",
                "jobs.backup.command", "/opt/backup/run.sh --full \"/var/lib/my data\"",
                "jobs.backup.schedule", "0 3 * * *",
                "jobs.backup.time-zone", "Europe/Paris",
                "jobs.backup.ack-deadline", "2m")).jobs();

        assertEquals(2, jobs.size());
        JobDefinition backup = jobs.get(1);
        assertEquals("backup", backup.name());
        assertEquals("nightly", backup.topic());
        assertEquals("nightly.backup", backup.subscription());
        assertEquals(List.of("/opt/backup/run.sh", "--full", "/var/lib/my data"), backup.argv());
        assertEquals(Optional.of("0 3 * * *"), backup.schedule());
        assertEquals(ZoneId.of("Europe/Paris"), backup.timeZone());
        assertEquals(Duration.ofMinutes(2), backup.ackDeadline());
    }

    @Test
    void defaultsDeriveTopicAndSubscriptionFromTheJobName() {
        JobDefinition hello = JobCatalogLoader.load(config("jobs", "hello", "jobs.hello.command", "echo hi")).jobs().get(0);
        assertEquals("cron-hello", hello.topic());
        assertEquals("cron-hello.hello", hello.subscription());
        assertEquals(Optional.empty(), hello.schedule());
        assertEquals(Duration.ofSeconds(60), hello.ackDeadline());
    }

    @Test
    void noJobsListedMeansAnEmptyCatalog() {
        assertEquals(List.of(), JobCatalogLoader.load(config()).jobs());
    }

    @Test
    void missingCommandNamesTheKey() {
        String message = failure(config("jobs", "backup", "jobs.backup.schedule", "0 3 * * *"));
        assertTrue(message.contains("jobs.backup.command is missing"), message);
    }

    @Test
    void badCronExpressionNamesKeyValueAndExpectation() {
        String message = failure(config("jobs", "backup", "jobs.backup.command", "true", "jobs.backup.schedule", "61 * * * *"));
        assertTrue(message.contains("jobs.backup.schedule = '61 * * * *'"), message);
        assertTrue(message.contains("expected a cron expression of 5 fields"), message);
    }

    @Test
    void badDurationNamesKeyValueAndExpectation() {
        String message = failure(config("jobs", "backup", "jobs.backup.command", "true", "jobs.backup.ack-deadline", "soon"));
        assertTrue(message.contains("jobs.backup.ack-deadline = 'soon': expected a duration such as 30s"), message);
    }

    @Test
    void ackDeadlineOutsidePubSubLimitsIsRejected() {
        String message = failure(config("jobs", "backup", "jobs.backup.command", "true", "jobs.backup.ack-deadline", "5s"));
        assertTrue(message.contains("Pub/Sub accepts 10s to 600s"), message);
    }

    @Test
    void unknownSettingOfAListedJobStopsStartUp() {
        String message = failure(config("jobs", "backup", "jobs.backup.command", "true", "jobs.backup.comand", "false"));
        assertTrue(message.contains("jobs.backup.comand: unknown setting 'comand'"), message);
    }

    @Test
    void settingsOfAnUnlistedJobAreOnlyWarnedAbout() {
        JobCatalogLoader.Result result = JobCatalogLoader.load(config(
                "jobs", "backup", "jobs.backup.command", "true", "jobs.old.command", "false"));
        assertEquals(1, result.jobs().size());
        assertEquals(List.of("jobs.old.command is ignored: job 'old' is not listed in jobs"), result.warnings());
    }

    @Test
    void duplicateAndMalformedNamesAreRejected() {
        String message = failure(config("jobs", "a-job,a-job,Bad_Name", "jobs.a-job.command", "true"));
        assertTrue(message.contains("job 'a-job' is listed twice"), message);
        assertTrue(message.contains("job name 'Bad_Name' must start with a lowercase letter"), message);
    }

    @Test
    void twoJobsOnOneSubscriptionAreRejected() {
        String message = failure(config("jobs", "a,b",
                "jobs.a.command", "true", "jobs.a.subscription", "shared",
                "jobs.b.command", "true", "jobs.b.subscription", "shared"));
        assertTrue(message.contains("jobs.b.subscription = 'shared': already used by job 'a'"), message);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobCatalogLoader.load(config(
                "jobs", "a,b",
                "jobs.a.command", "echo 'unterminated",
                "jobs.b.command", "true", "jobs.b.time-zone", "Mars/Olympus", "jobs.b.topic", "goog-topic")));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("jobs.a.command = 'echo 'unterminated': unterminated single quote"), e.getMessage());
        assertTrue(e.getMessage().contains("jobs.b.time-zone = 'Mars/Olympus'"), e.getMessage());
        assertTrue(e.getMessage().contains("jobs.b.topic = 'goog-topic'"), e.getMessage());
    }
}
