package io.cronexecutor.schedule;

import com.google.cloud.scheduler.v1.Job;
import com.google.cloud.scheduler.v1.PubsubTarget;
import com.google.protobuf.FieldMask;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.TickAttributes;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What it takes to bring Cloud Scheduler in line with the configured schedules: the jobs to
 * create, those to update (schedule, time zone, target, description only: a job an operator
 * paused stays paused), and those this service once created for a job no longer scheduled, which
 * are reported, never deleted.
 */
public final class SchedulerSyncPlan {

    /** Starts the description of every Cloud Scheduler job this service manages. */
    static final String MARKER = "Cron Executor: ";

    public record Update(Job wanted, FieldMask mask, List<String> differences) {
    }

    /** A configured schedule that Cloud Scheduler cannot take. */
    public record Problem(String job, String message) {
    }

    private final List<Job> creates = new ArrayList<>();
    private final List<Update> updates = new ArrayList<>();
    private final List<String> orphans = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private int unchanged;

    private SchedulerSyncPlan() {
    }

    public static SchedulerSyncPlan of(List<JobDefinition> jobs, Collection<Job> existing, SchedulerSyncSettings settings,
                                       String pubsubProject) {
        SchedulerSyncPlan plan = new SchedulerSyncPlan();
        Map<String, Job> byName = new HashMap<>();
        existing.forEach(job -> byName.put(job.getName(), job));
        for (JobDefinition job : jobs) {
            if (job.schedule().isEmpty()) {
                continue;
            }
            Job wanted;
            try {
                wanted = wanted(job, settings, pubsubProject);
            } catch (IllegalArgumentException e) {
                plan.problems.add(new Problem(job.name(), e.getMessage()));
                continue;
            }
            Job current = byName.get(wanted.getName());
            if (current == null) {
                plan.creates.add(wanted);
            } else {
                plan.compare(current, wanted);
            }
        }
        Set<String> scheduled = jobs.stream().filter(j -> j.schedule().isPresent())
                .map(j -> settings.jobName(j.name())).collect(Collectors.toSet());
        String ours = settings.parent() + "/jobs/" + settings.jobPrefix();
        for (Job job : existing) {
            if (job.getName().startsWith(ours) && job.getDescription().startsWith(MARKER) && !scheduled.contains(job.getName())) {
                plan.orphans.add(job.getName());
            }
        }
        return plan;
    }

    /** The Cloud Scheduler job that publishes the ticks of {@code job}. */
    static Job wanted(JobDefinition job, SchedulerSyncSettings settings, String pubsubProject) {
        String schedule = job.schedule().orElseThrow().trim();
        if (schedule.split("\\s+").length != 5) {
            throw new IllegalArgumentException("jobs." + job.name() + ".schedule = '" + schedule
                    + "': Cloud Scheduler takes five fields (minute hour day-of-month month day-of-week), no seconds");
        }
        return Job.newBuilder()
                .setName(settings.jobName(job.name()))
                .setDescription(MARKER + "publishes the ticks of job " + job.name() + " (jobs." + job.name() + ".schedule)")
                .setSchedule(schedule)
                .setTimeZone(timeZone(job))
                .setPubsubTarget(PubsubTarget.newBuilder()
                        .setTopicName("projects/" + pubsubProject + "/topics/" + job.topic())
                        .putAttributes(TickAttributes.TRIGGER, "schedule")
                        .putAttributes("cron-job", job.name()))
                .build();
    }

    private static String timeZone(JobDefinition job) {
        ZoneId zone = job.timeZone().normalized();
        if (zone.equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        if (zone instanceof ZoneOffset) {
            throw new IllegalArgumentException("jobs." + job.name() + ".time-zone = '" + job.timeZone()
                    + "': Cloud Scheduler takes a zone name such as Europe/Paris, not an offset");
        }
        return zone.getId();
    }

    private void compare(Job current, Job wanted) {
        List<String> paths = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        if (!current.getSchedule().equals(wanted.getSchedule())) {
            paths.add("schedule");
            differences.add("schedule '" + current.getSchedule() + "' -> '" + wanted.getSchedule() + "'");
        }
        if (!current.getTimeZone().equals(wanted.getTimeZone())) {
            paths.add("time_zone");
            differences.add("time zone " + current.getTimeZone() + " -> " + wanted.getTimeZone());
        }
        if (!current.getPubsubTarget().equals(wanted.getPubsubTarget())) {
            paths.add("pubsub_target");
            differences.add("target " + current.getPubsubTarget().getTopicName() + " " + current.getPubsubTarget().getAttributesMap()
                    + " -> " + wanted.getPubsubTarget().getTopicName() + " " + wanted.getPubsubTarget().getAttributesMap());
        }
        if (!current.getDescription().equals(wanted.getDescription())) {
            paths.add("description");
            differences.add("description");
        }
        if (paths.isEmpty()) {
            unchanged++;
        } else {
            updates.add(new Update(wanted, FieldMask.newBuilder().addAllPaths(paths).build(), differences));
        }
    }

    public List<Job> creates() {
        return creates;
    }

    public List<Update> updates() {
        return updates;
    }

    public List<String> orphans() {
        return orphans;
    }

    public List<Problem> problems() {
        return problems;
    }

    public int unchanged() {
        return unchanged;
    }
}
