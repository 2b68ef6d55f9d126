package io.cronexecutor.job;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One configured job: where its ticks come from and what it runs.
 *
 * @param name         the job's name, as listed in {@code jobs}
 * @param topic        the Pub/Sub topic its ticks are published to
 * @param subscription the subscription this executor pulls its ticks from
 * @param commandLine  the command as configured, for display
 * @param argv         the command split into words; executed without a shell
 * @param schedule     the cron expression the embedded scheduler publishes by, if any
 * @param timeZone     the zone the schedule is read in
 * @param ackDeadline  the ack deadline a subscription created for this job gets
 */
public record JobDefinition(
        String name,
        String topic,
        String subscription,
        String commandLine,
        List<String> argv,
        Optional<String> schedule,
        ZoneId timeZone,
        Duration ackDeadline) {

    public JobDefinition {
        argv = List.copyOf(argv);
    }
}
