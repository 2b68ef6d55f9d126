package io.cronexecutor.api;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.RunPolicy;
import io.cronexecutor.run.RunRecord;

import java.util.List;

/** A job as the REST API shows it: its definition, its policies, its subscriber and its latest run. */
public record JobView(
        String name,
        String topic,
        String subscription,
        String delivery,
        String command,
        List<String> argv,
        boolean shell,
        String schedule,
        String timeZone,
        long ackDeadlineSeconds,
        boolean exactlyOnce,
        RunPolicy policy,
        String subscriber,
        boolean paused,
        int running,
        RunRecord lastRun) {

    static JobView of(JobDefinition job, String subscription, String subscriberState, boolean paused, int running,
                      RunRecord lastRun) {
        return new JobView(job.name(), job.topic(), subscription, job.delivery().scope().name().toLowerCase(),
                job.command().commandLine(), job.argv(), job.command().shell(),
                job.schedule().orElse(null), job.timeZone().getId(), job.ackDeadline().toSeconds(),
                job.delivery().exactlyOnce(), job.policy(),
                subscriberState, paused, running, lastRun);
    }
}
