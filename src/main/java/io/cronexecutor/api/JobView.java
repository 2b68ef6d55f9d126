package io.cronexecutor.api;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.run.RunRecord;

import java.util.List;

/** A job as the REST API shows it: its definition, its subscriber's state and its latest run. */
public record JobView(
        String name,
        String topic,
        String subscription,
        String command,
        List<String> argv,
        String schedule,
        String timeZone,
        long ackDeadlineSeconds,
        String subscriber,
        RunRecord lastRun) {

    static JobView of(JobDefinition job, String subscriberState, RunRecord lastRun) {
        return new JobView(job.name(), job.topic(), job.subscription(), job.commandLine(), job.argv(),
                job.schedule().orElse(null), job.timeZone().getId(), job.ackDeadline().toSeconds(),
                subscriberState, lastRun);
    }
}
