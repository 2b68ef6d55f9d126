package io.cronexecutor.job;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One configured job: what it runs, where its ticks come from, and the policies its runs follow.
 *
 * @param name     the job's name, as listed in {@code jobs}
 * @param command  the command and its environment
 * @param schedule the cron expression the embedded scheduler publishes by, if any
 * @param timeZone the zone the schedule is read in
 * @param delivery topic, subscription and delivery scope
 * @param policy   timeout, exit-code, overlap and staleness policies
 */
public record JobDefinition(String name, CommandSpec command, Optional<String> schedule, ZoneId timeZone,
                            SubscriptionSpec delivery, RunPolicy policy) {

    public String topic() {
        return delivery.topic();
    }

    public String subscription() {
        return delivery.subscription();
    }

    public Duration ackDeadline() {
        return delivery.ackDeadline();
    }

    public List<String> argv() {
        return command.argv();
    }

    public JobDefinition withPolicy(RunPolicy value) {
        return new JobDefinition(name, command, schedule, timeZone, delivery, value);
    }

    public JobDefinition withDelivery(SubscriptionSpec value) {
        return new JobDefinition(name, command, schedule, timeZone, value, policy);
    }
}
