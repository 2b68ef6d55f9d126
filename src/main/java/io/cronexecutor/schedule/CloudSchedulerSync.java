package io.cronexecutor.schedule;

import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.scheduler.v1.CloudSchedulerClient;
import com.google.cloud.scheduler.v1.CloudSchedulerSettings;
import com.google.cloud.scheduler.v1.Job;
import com.google.cloud.scheduler.v1.ListJobsRequest;
import io.cronexecutor.job.JobDefinition;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one Cloud Scheduler job per scheduled job, publishing to the job's topic on the job's
 * schedule: created when missing, updated when the configuration changed, compared again every
 * sync interval so that the fleet converges on the configuration of its newest members after a
 * rollout. Every instance does it; the calls are idempotent, and a create that another instance
 * won is fine. Nothing is ever deleted: a Cloud Scheduler job left over from a job no longer
 * scheduled is reported once.
 */
public final class CloudSchedulerSync implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CloudSchedulerSync.class.getName());

    /** What one comparison did. */
    public record Report(int created, int updated, int unchanged, List<String> orphans, List<String> failures) {
    }

    private final SchedulerSyncSettings settings;
    private final String pubsubProject;
    private final ScheduledExecutorService executor;
    private final Set<String> reportedOrphans = new HashSet<>();
    private CloudSchedulerClient client;
    private ManagedChannel localChannel;
    private ScheduledFuture<?> periodic;
    private boolean lastFailed;

    public CloudSchedulerSync(SchedulerSyncSettings settings, String pubsubProject, ScheduledExecutorService executor) {
        this.settings = settings;
        this.pubsubProject = pubsubProject;
        this.executor = executor;
    }

    /** Syncs now, then every interval, on the executor. */
    public synchronized void start(List<JobDefinition> jobs) {
        periodic = executor.scheduleWithFixedDelay(() -> sync(jobs), 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Compares once and makes Cloud Scheduler match; failures are reported, never thrown. */
    public synchronized Report sync(List<JobDefinition> jobs) {
        List<String> failures = new ArrayList<>();
        List<Job> existing;
        try {
            existing = list();
        } catch (ApiException | IOException e) {
            failures.add("listing the jobs of " + settings.parent() + " failed: " + describe(e));
            return report(new Report(0, 0, 0, List.of(), failures));
        }
        SchedulerSyncPlan plan = SchedulerSyncPlan.of(jobs, existing, settings, pubsubProject);
        plan.problems().forEach(p -> failures.add("job " + p.job() + " not synced: " + p.message()));
        int created = 0;
        for (Job job : plan.creates()) {
            try {
                client.createJob(settings.parent(), job);
                created++;
                LOG.info(() -> "Cloud Scheduler job " + job.getName() + " created: '" + job.getSchedule() + "' ("
                        + job.getTimeZone() + ") to " + job.getPubsubTarget().getTopicName());
            } catch (ApiException e) {
                if (e.getStatusCode().getCode() == StatusCode.Code.ALREADY_EXISTS) {
                    LOG.info(() -> "Cloud Scheduler job " + job.getName() + " was created meanwhile, by another instance");
                } else {
                    failures.add("creating " + job.getName() + " failed: " + describe(e));
                }
            }
        }
        int updated = 0;
        for (SchedulerSyncPlan.Update update : plan.updates()) {
            try {
                client.updateJob(update.wanted(), update.mask());
                updated++;
                LOG.info(() -> "Cloud Scheduler job " + update.wanted().getName() + " updated: " + String.join("; ", update.differences()));
            } catch (ApiException e) {
                failures.add("updating " + update.wanted().getName() + " failed: " + describe(e));
            }
        }
        for (String orphan : plan.orphans()) {
            if (reportedOrphans.add(orphan)) {
                LOG.warning("Cloud Scheduler job " + orphan + " was created by Cron Executor for a job that is no longer"
                        + " scheduled here; it still publishes ticks. Delete it with: gcloud scheduler jobs delete "
                        + orphan.substring(orphan.lastIndexOf('/') + 1) + " --location=" + settings.location());
            }
        }
        return report(new Report(created, updated, plan.unchanged(), plan.orphans(), failures));
    }

    private Report report(Report report) {
        if (!report.failures().isEmpty()) {
            LOG.log(lastFailed ? Level.WARNING : Level.SEVERE, "Cloud Scheduler is not in line with the schedules: "
                    + String.join("; ", report.failures()) + " (tried again in " + settings.interval() + ")");
            lastFailed = true;
        } else {
            if (lastFailed) {
                LOG.info("Cloud Scheduler sync works again");
            }
            lastFailed = false;
            Level level = report.created() + report.updated() > 0 ? Level.INFO : Level.FINE;
            LOG.log(level, () -> "Cloud Scheduler jobs in " + settings.parent() + ": " + report.created() + " created, "
                    + report.updated() + " updated, " + report.unchanged() + " unchanged");
        }
        return report;
    }

    private List<Job> list() throws IOException {
        List<Job> jobs = new ArrayList<>();
        ListJobsRequest request = ListJobsRequest.newBuilder().setParent(settings.parent()).setPageSize(500).build();
        client().listJobs(request).iterateAll().forEach(jobs::add);
        return jobs;
    }

    private CloudSchedulerClient client() throws IOException {
        if (client == null) {
            CloudSchedulerSettings.Builder builder = CloudSchedulerSettings.newBuilder()
                    .setBackgroundExecutorProvider(FixedExecutorProvider.create(executor));
            if (settings.emulatorHost().isPresent()) {
                localChannel = NettyChannelBuilder.forTarget(settings.emulatorHost().get()).usePlaintext().build();
                builder.setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(localChannel)))
                        .setCredentialsProvider(NoCredentialsProvider.create());
            }
            client = CloudSchedulerClient.create(builder.build());
        }
        return client;
    }

    private static String describe(Exception e) {
        if (e instanceof ApiException api) {
            StatusCode.Code code = api.getStatusCode().getCode();
            String hint = code == StatusCode.Code.PERMISSION_DENIED
                    ? " (the service account needs roles/cloudscheduler.admin, or turn cron.scheduler.cloud.enabled off)" : "";
            return code + ": " + api.getMessage() + hint;
        }
        return e.toString();
    }

    @Override
    public synchronized void close() {
        if (periodic != null) {
            periodic.cancel(false);
        }
        if (client != null) {
            client.close();
        }
        if (localChannel != null) {
            localChannel.shutdownNow();
        }
    }
}
