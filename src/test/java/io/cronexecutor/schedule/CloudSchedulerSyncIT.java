package io.cronexecutor.schedule;

import com.google.cloud.scheduler.v1.Job;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.testing.FakeCloudScheduler;
import io.cronexecutor.testing.TestJobs;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cloud Scheduler kept in line with the schedules, through the official client over real gRPC. */
class CloudSchedulerSyncIT {

    private static final String PARENT = "projects/sched-project/locations/europe-west1";

    private FakeCloudScheduler api;
    private ScheduledExecutorService executor;
    private CloudSchedulerSync sync;

    @BeforeEach
    void start() throws Exception {
        api = new FakeCloudScheduler();
        executor = Executors.newScheduledThreadPool(2);
        sync = new CloudSchedulerSync(new SchedulerSyncSettings("sched-project", "europe-west1", "cron-",
                Duration.ofMinutes(10), Optional.of(api.hostPort())), "fleet-project", executor);
    }

    @AfterEach
    void stop() throws Exception {
        sync.close();
        executor.shutdownNow();
        api.close();
    }

    private static JobDefinition scheduled(String name, String schedule, String zone) {
        JobDefinition job = TestJobs.job(name, "true");
        return new JobDefinition(job.name(), job.command(), Optional.ofNullable(schedule), ZoneId.of(zone), job.delivery(), job.policy());
    }

    @Test
    void everyScheduledJobGetsACloudSchedulerJobPublishingToItsTopic() {
        CloudSchedulerSync.Report report = sync.sync(List.of(scheduled("backup", "0 3 * * *", "Europe/Paris"),
                scheduled("report", "*/5 * * * 1-5", "UTC"), scheduled("manual-only", null, "UTC")));

        assertEquals(2, report.created(), report.toString());
        assertTrue(report.failures().isEmpty(), report.toString());
        Job backup = api.job(PARENT + "/jobs/cron-backup");
        assertNotNull(backup, api.jobs().keySet().toString());
        assertEquals("0 3 * * *", backup.getSchedule());
        assertEquals("Europe/Paris", backup.getTimeZone());
        assertEquals("projects/fleet-project/topics/backup-topic", backup.getPubsubTarget().getTopicName(), "the job's own topic");
        assertEquals(Map.of("cron-trigger", "schedule", "cron-job", "backup"), backup.getPubsubTarget().getAttributesMap());
        assertEquals("UTC", api.job(PARENT + "/jobs/cron-report").getTimeZone());
        assertEquals(2, api.jobs().size(), "a job without a schedule gets none");
    }

    @Test
    void aChangedScheduleIsUpdatedAndAJobAnOperatorPausedStaysPaused() {
        sync.sync(List.of(scheduled("backup", "0 3 * * *", "Europe/Paris")));
        Job created = api.job(PARENT + "/jobs/cron-backup");
        api.put(created.toBuilder().setState(Job.State.PAUSED).build());

        CloudSchedulerSync.Report report = sync.sync(List.of(scheduled("backup", "30 4 * * *", "Europe/Paris")));

        assertEquals(1, report.updated(), report.toString());
        Job updated = api.job(PARENT + "/jobs/cron-backup");
        assertEquals("30 4 * * *", updated.getSchedule());
        assertEquals(Job.State.PAUSED, updated.getState());
        assertEquals(List.of("schedule"), api.updateRequests().get(0).getUpdateMask().getPathsList());
    }

    @Test
    void aSecondSyncOfManyJobsChangesNothing() {
        List<JobDefinition> jobs = new ArrayList<>();
        for (int i = 0; i < 520; i++) {
            jobs.add(scheduled("job-" + i, (i % 60) + " * * * *", "UTC"));
        }
        assertEquals(520, sync.sync(jobs).created());

        CloudSchedulerSync.Report again = sync.sync(jobs);

        assertEquals(new CloudSchedulerSync.Report(0, 0, 520, List.of(), List.of()), again, "listed over two pages, all unchanged");
        assertEquals(520, api.creates());
        assertEquals(0, api.updates());
    }

    @Test
    void aJobNoLongerScheduledIsReportedAndLeftAlone() {
        sync.sync(List.of(scheduled("old", "0 1 * * *", "UTC"), scheduled("kept", "0 2 * * *", "UTC")));
        api.put(Job.newBuilder().setName(PARENT + "/jobs/cron-hand-made").setDescription("made by an operator")
                .setSchedule("0 5 * * *").build());

        CloudSchedulerSync.Report report = sync.sync(List.of(scheduled("kept", "0 2 * * *", "UTC"), scheduled("old", null, "UTC")));

        assertEquals(List.of(PARENT + "/jobs/cron-old"), report.orphans());
        assertEquals(3, api.jobs().size(), "nothing deleted");
    }

    @Test
    void aCreateThatAnotherInstanceWonIsNotAFailure() {
        sync.sync(List.of(scheduled("backup", "0 3 * * *", "UTC")));
        api.hideFromList(true);

        CloudSchedulerSync.Report report = sync.sync(List.of(scheduled("backup", "0 3 * * *", "UTC")));

        assertTrue(report.failures().isEmpty(), report.toString());
        assertEquals(0, report.created());
        assertEquals(1, api.creates());
    }

    @Test
    void aRefusalIsReportedWithTheRoleItNeedsAndRetriedNextTime() {
        api.refuse(Status.PERMISSION_DENIED.withDescription("cloudscheduler.jobs.list denied"));
        CloudSchedulerSync.Report refused = sync.sync(List.of(scheduled("backup", "0 3 * * *", "UTC")));

        assertEquals(1, refused.failures().size(), refused.toString());
        assertTrue(refused.failures().get(0).contains("PERMISSION_DENIED"), refused.toString());
        assertTrue(refused.failures().get(0).contains("roles/cloudscheduler.admin"), refused.toString());

        api.refuse(null);
        assertEquals(1, sync.sync(List.of(scheduled("backup", "0 3 * * *", "UTC"))).created());
    }

    @Test
    void aScheduleCloudSchedulerCannotTakeIsReportedAndTheOthersAreStillSynced() {
        CloudSchedulerSync.Report report = sync.sync(List.of(scheduled("precise", "30 0 3 * * *", "UTC"),
                scheduled("fine", "0 3 * * *", "UTC")));

        assertEquals(1, report.created());
        assertEquals(1, report.failures().size());
        assertTrue(report.failures().get(0).contains("jobs.precise.schedule = '30 0 3 * * *'"), report.toString());
    }

    @Test
    void startSyncsAtOnceOnTheExecutor() throws Exception {
        sync.start(List.of(scheduled("backup", "0 3 * * *", "UTC")));
        io.cronexecutor.testing.Await.until(Duration.ofSeconds(10), () -> api.job(PARENT + "/jobs/cron-backup") != null,
                () -> "the job created by the first sync");
    }
}
