package io.cronexecutor.schedule;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.TickAttributes;
import io.cronexecutor.pubsub.TickPublisher;
import jakarta.enterprise.concurrent.CronTrigger;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded stand-in for Cloud Scheduler: publishes one tick per job per cron firing. It only
 * publishes; running is left to whichever subscriber gets the tick, as in the fleet.
 */
public final class TickScheduler {

    private static final Logger LOG = Logger.getLogger(TickScheduler.class.getName());

    private final ManagedScheduledExecutorService executor;
    private final TickPublisher publisher;
    private final Clock clock;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();

    public TickScheduler(ManagedScheduledExecutorService executor, TickPublisher publisher, Clock clock) {
        this.executor = executor;
        this.publisher = publisher;
        this.clock = clock;
    }

    public synchronized void start(List<JobDefinition> jobs) {
        for (JobDefinition job : jobs) {
            job.schedule().ifPresent(cron -> {
                scheduled.add(executor.schedule(() -> tick(job), new CronTrigger(cron, job.timeZone())));
                LOG.info(() -> "Scheduled job " + job.name() + " at '" + cron + "' (" + job.timeZone() + ")");
            });
        }
    }

    private void tick(JobDefinition job) {
        try {
            TickPublisher.PublishedTick tick = publisher.publish(job, "schedule",
                    Map.of(TickAttributes.SCHEDULED_TIME, clock.instant().toString()));
            LOG.fine(() -> "Published scheduled tick " + tick.tickId() + " of job " + job.name());
        } catch (RuntimeException e) {
            // Never let one failed publish cancel the job's schedule.
            LOG.log(Level.SEVERE, "Scheduled tick of job " + job.name() + " was not published", e);
        }
    }

    public synchronized void stop() {
        scheduled.forEach(f -> f.cancel(false));
        scheduled.clear();
    }
}
