package io.cronexecutor.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                "jobs.backup.ack-deadline", "2m",
                "jobs.backup.exactly-once", "true")).jobs();

        assertEquals(2, jobs.size());
        JobDefinition backup = jobs.get(1);
        assertEquals("backup", backup.name());
        assertEquals("nightly", backup.topic());
        assertEquals("nightly.backup", backup.subscription());
        assertEquals(List.of("/opt/backup/run.sh", "--full", "/var/lib/my data"), backup.argv());
        assertEquals(Optional.of("0 3 * * *"), backup.schedule());
        assertEquals(ZoneId.of("Europe/Paris"), backup.timeZone());
        assertEquals(Duration.ofMinutes(2), backup.ackDeadline());
        assertTrue(backup.delivery().exactlyOnce());
        assertFalse(jobs.get(0).delivery().exactlyOnce(), "off unless asked for");
    }

    @Test
    void exactlyOnceIsTrueOrFalse() {
        String message = failure(config("jobs", "backup", "jobs.backup.command", "true", "jobs.backup.exactly-once", "yes"));
        assertTrue(message.contains("jobs.backup.exactly-once = 'yes': expected true or false"), message);
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
        assertTrue(message.contains("jobs.backup.ack-deadline = '5s': expected a duration from 10s to 10m"), message);
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

    @Test
    void executionPoliciesAreRead() {
        JobDefinition job = JobCatalogLoader.load(config(
                "jobs", "backup",
                "jobs.backup.command", "tar czf /backup/x.tgz /data | gzip",
                "jobs.backup.shell", "true",
                "jobs.backup.working-dir", "/var/lib",
                "jobs.backup.environment", "MODE=full \"LABEL=nightly run\"",
                "jobs.backup.timeout", "2h",
                "jobs.backup.kill-grace", "30s",
                "jobs.backup.output-limit", "1MiB",
                "jobs.backup.retry-exit-codes", "75, 111",
                "jobs.backup.on-failure", "retry",
                "jobs.backup.max-concurrent", "2",
                "jobs.backup.overlap", "queue",
                "jobs.backup.max-age", "15m",
                "jobs.backup.delivery", "all",
                "jobs.backup.dead-letter-topic", "backup-dead",
                "jobs.backup.max-delivery-attempts", "7")).jobs().get(0);

        assertEquals(List.of("/bin/sh", "-c", "tar czf /backup/x.tgz /data | gzip"), job.argv());
        assertEquals(Optional.of(java.nio.file.Path.of("/var/lib")), job.command().workingDir());
        assertEquals(Map.of("MODE", "full", "LABEL", "nightly run"), job.command().environment());
        RunPolicy policy = job.policy();
        assertEquals(Duration.ofHours(2), policy.timeout());
        assertEquals(Duration.ofSeconds(30), policy.killGrace());
        assertEquals(1024 * 1024, policy.outputLimit());
        assertEquals(java.util.Set.of(75, 111), policy.retryExitCodes());
        assertEquals(FailurePolicy.RETRY, policy.onFailure());
        assertEquals(2, policy.maxConcurrent());
        assertEquals(OverlapPolicy.QUEUE, policy.overlap());
        assertEquals(Optional.of(Duration.ofMinutes(15)), policy.maxAge());
        assertEquals(DeliveryScope.ALL, job.delivery().scope());
        assertEquals(Optional.of("backup-dead"), job.delivery().deadLetterTopic());
        assertEquals(Optional.of(7), job.delivery().maxDeliveryAttempts());
    }

    @Test
    void policiesDefaultToCronLikeBehaviour() {
        JobDefinition job = JobCatalogLoader.load(config("jobs", "a", "jobs.a.command", "true")).jobs().get(0);
        assertEquals(RunPolicy.defaults(), job.policy());
        assertEquals(java.util.Set.of(75), job.policy().retryExitCodes());
        assertEquals(DeliveryScope.ONE, job.delivery().scope());
    }

    @Test
    void badPolicyValuesNameKeyValueAndExpectation() {
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobCatalogLoader.load(config(
                "jobs", "a",
                "jobs.a.command", "true",
                "jobs.a.timeout", "forever",
                "jobs.a.overlap", "wait",
                "jobs.a.max-concurrent", "0",
                "jobs.a.retry-exit-codes", "75,abc",
                "jobs.a.output-limit", "lots",
                "jobs.a.environment", "NOEQUALS",
                "jobs.a.dead-letter-topic", "dead-topic")));
        String message = e.getMessage();
        assertTrue(message.contains("jobs.a.timeout = 'forever': expected a duration such as 30s"), message);
        assertTrue(message.contains("jobs.a.overlap = 'wait': expected one of skip, queue"), message);
        assertTrue(message.contains("jobs.a.max-concurrent = '0': expected a whole number from 1 to 1000"), message);
        assertTrue(message.contains("jobs.a.retry-exit-codes = '75,abc': expected comma-separated exit codes"), message);
        assertTrue(message.contains("jobs.a.output-limit = 'lots': expected a size"), message);
        assertTrue(message.contains("jobs.a.environment = 'NOEQUALS': expected NAME=value words"), message);
        assertTrue(message.contains("dead-letter-topic and max-delivery-attempts go together"), message);
        assertEquals(7, e.problems().size(), message);
    }

    @Test
    void environmentVariablesAreCheckedAgainstTheKnownSettings() {
        JobCatalogLoader.Result ok = JobCatalogLoader.load(config(
                "jobs", "nightly-backup", "jobs.nightly-backup.command", "true",
                "JOBS_NIGHTLY_BACKUP_KILL_GRACE", "5s", "JOBS_NIGHTLY_BACKUP_COMMAND", "true", "JOBS_OTHER_COMAND", "x"));
        assertEquals(1, ok.jobs().size());

        String message = failure(config("jobs", "nightly-backup", "jobs.nightly-backup.command", "true",
                "JOBS_NIGHTLY_BACKUP_COMAND", "true"));
        assertTrue(message.contains("JOBS_NIGHTLY_BACKUP_COMAND: unknown setting"), message);
    }
}
