package io.cronexecutor.schedule;

import io.cronexecutor.config.SettingReader;
import io.cronexecutor.job.DurationParser;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where this service keeps Cloud Scheduler jobs in line with the jobs' schedules, read from
 * {@code cron.scheduler.cloud.*}.
 *
 * @param project      the project of the Cloud Scheduler jobs
 * @param location     their region, such as {@code us-central1}
 * @param jobPrefix    Cloud Scheduler job id = prefix + job name; also how this service recognises its own jobs
 * @param interval     how often the jobs are compared again after start-up
 * @param emulatorHost host:port of a local, plaintext endpoint speaking the Cloud Scheduler API (tests)
 */
public record SchedulerSyncSettings(String project, String location, String jobPrefix, Duration interval,
                                    Optional<String> emulatorHost) {

    public static final String ENABLED = "cron.scheduler.cloud.enabled";
    public static final String PROJECT = "cron.scheduler.cloud.project";
    public static final String LOCATION = "cron.scheduler.cloud.location";
    public static final String JOB_PREFIX = "cron.scheduler.cloud.job-prefix";
    public static final String INTERVAL = "cron.scheduler.cloud.sync-interval";
    public static final String EMULATOR_HOST = "cron.scheduler.cloud.emulator-host";

    static final String DEFAULT_PREFIX = "cron-";
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    private static final Pattern LOCATION_ID = Pattern.compile("[a-z]+(-[a-z]+)+[0-9]+");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{0,100}");

    /**
     * The settings if syncing is enabled, empty if not.
     *
     * @throws IllegalArgumentException naming the key, the value and what was expected
     */
    public static Optional<SchedulerSyncSettings> resolve(Function<String, Optional<String>> config, Optional<String> pubsubProject) {
        SettingReader settings = new SettingReader(config);
        if (!settings.flag(ENABLED, false)) {
            return Optional.empty();
        }
        String why = "syncing Cloud Scheduler (" + ENABLED + " = true) needs ";
        String project = settings.required(PROJECT, pubsubProject, why + "the project of its jobs; set it, or cron.pubsub.project");
        String location = settings.required(LOCATION, Optional.empty(), why + "the region of its jobs, such as us-central1");
        settings.matching(LOCATION, LOCATION_ID, location, "a region such as us-central1");
        String prefix = settings.matching(JOB_PREFIX, PREFIX, DEFAULT_PREFIX, "letters, digits, '-' and '_', at most 100 characters");
        Duration interval = settings.optional(INTERVAL).map(SchedulerSyncSettings::interval).orElse(DEFAULT_INTERVAL);
        Optional<String> emulator = settings.hostPort(EMULATOR_HOST);
        return Optional.of(new SchedulerSyncSettings(project, location, prefix, interval, emulator));
    }

    /**
     * Refuses the embedded scheduler and Cloud Scheduler sync together: both would publish every
     * tick, and every tick would run twice.
     */
    public static void requireOnePublisher(boolean embeddedSchedulerOn, Optional<SchedulerSyncSettings> sync) {
        if (embeddedSchedulerOn && sync.isPresent()) {
            throw new IllegalArgumentException("cron.scheduler.enabled = 'true': with " + ENABLED
                    + " = true Cloud Scheduler publishes the ticks, and both would publish every tick twice; turn one off");
        }
    }

    private static Duration interval(String text) {
        try {
            Duration interval = DurationParser.parse(text);
            if (interval.compareTo(Duration.ofMinutes(1)) >= 0 && interval.compareTo(Duration.ofDays(1)) <= 0) {
                return interval;
            }
        } catch (IllegalArgumentException notADuration) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(INTERVAL + " = '" + text + "': expected a duration from 1m to 24h, such as 10m");
    }

    /** The parent of this service's Cloud Scheduler jobs. */
    public String parent() {
        return "projects/" + project + "/locations/" + location;
    }

    /** The Cloud Scheduler job that publishes ticks of {@code job}. */
    public String jobName(String job) {
        return parent() + "/jobs/" + jobPrefix + job;
    }
}
