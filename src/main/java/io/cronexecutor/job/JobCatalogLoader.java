package io.cronexecutor.job;

import jakarta.enterprise.concurrent.CronTrigger;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds the validated job catalog from configuration. Every problem is collected before failing,
 * so an operator fixes a bad file in one pass instead of one restart per typo.
 */
public final class JobCatalogLoader {

    static final String JOBS_KEY = "jobs";
    static final Set<String> KNOWN_KEYS =
            Set.of("topic", "subscription", "command", "schedule", "time-zone", "ack-deadline");
    static final Duration DEFAULT_ACK_DEADLINE = Duration.ofSeconds(60);

    // Lowercase letters only at the start so the MicroProfile environment-variable mapping
    // (jobs.my-job.command -> JOBS_MY_JOB_COMMAND) stays unambiguous.
    private static final Pattern JOB_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    // Pub/Sub's rule for topic and subscription ids.
    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9\\-_.~+%]{2,254}");

    private JobCatalogLoader() {
    }

    /** The valid jobs, and warnings about keys that are ignored (settings of jobs not listed). */
    public record Result(List<JobDefinition> jobs, List<String> warnings) {
    }

    public static Result load(ConfigView config) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> names = jobNames(config, problems);
        Map<String, JobDefinition> jobs = new LinkedHashMap<>();
        for (String name : names) {
            JobDefinition job = loadJob(config, name, problems);
            if (job != null) {
                jobs.put(name, job);
            }
        }
        reportUnknownKeys(config, names, problems, warnings);
        reportSharedSubscriptions(jobs.values(), problems);
        if (!problems.isEmpty()) {
            throw new JobConfigException(problems);
        }
        return new Result(List.copyOf(jobs.values()), List.copyOf(warnings));
    }

    private static List<String> jobNames(ConfigView config, List<String> problems) {
        Optional<String> list = config.get(JOBS_KEY);
        if (list.isEmpty() || list.get().isBlank()) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String raw : list.get().split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!JOB_NAME.matcher(name).matches()) {
                problems.add(JOBS_KEY + " = '" + list.get() + "': job name '" + name
                        + "' must start with a lowercase letter and contain only lowercase letters, digits and '-' (at most 63 characters)");
            } else if (!names.add(name)) {
                problems.add(JOBS_KEY + " = '" + list.get() + "': job '" + name + "' is listed twice");
            }
        }
        names.removeIf(n -> !JOB_NAME.matcher(n).matches());
        return List.copyOf(names);
    }

    private static JobDefinition loadJob(ConfigView config, String name, List<String> problems) {
        int before = problems.size();
        String prefix = JOBS_KEY + "." + name + ".";

        Optional<String> command = config.get(prefix + "command").filter(c -> !c.isBlank());
        List<String> argv = List.of();
        if (command.isEmpty()) {
            problems.add(prefix + "command is missing: every job needs the command it runs");
        } else {
            try {
                argv = CommandLineSplitter.split(command.get());
                if (argv.isEmpty()) {
                    problems.add(prefix + "command = '" + command.get() + "': expected at least one word");
                }
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "command = '" + command.get() + "': " + e.getMessage());
            }
        }

        String topic = config.get(prefix + "topic").map(String::trim).orElse("cron-" + name);
        boolean topicValid = checkResourceId(prefix + "topic", topic, problems);
        Optional<String> configuredSubscription = config.get(prefix + "subscription").map(String::trim);
        String subscription = configuredSubscription.orElse(topic + "." + name);
        if (configuredSubscription.isPresent() || topicValid) { // a derived name inherits the topic's problem
            checkResourceId(prefix + "subscription", subscription, problems);
        }

        ZoneId zone = ZoneId.systemDefault();
        Optional<String> zoneText = config.get(prefix + "time-zone");
        if (zoneText.isPresent()) {
            try {
                zone = ZoneId.of(zoneText.get().trim());
            } catch (DateTimeException e) {
                problems.add(prefix + "time-zone = '" + zoneText.get() + "': expected a zone id such as UTC or Europe/Paris");
            }
        }

        Optional<String> schedule = config.get(prefix + "schedule").map(String::trim).filter(s -> !s.isEmpty());
        if (schedule.isPresent()) {
            try {
                new CronTrigger(schedule.get(), zone);
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "schedule = '" + schedule.get()
                        + "': expected a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first); "
                        + e.getMessage() + " is not valid");
            }
        }

        Duration ackDeadline = DEFAULT_ACK_DEADLINE;
        Optional<String> ackText = config.get(prefix + "ack-deadline");
        if (ackText.isPresent()) {
            try {
                ackDeadline = DurationParser.parse(ackText.get());
                if (ackDeadline.compareTo(Duration.ofSeconds(10)) < 0 || ackDeadline.compareTo(Duration.ofSeconds(600)) > 0) {
                    problems.add(prefix + "ack-deadline = '" + ackText.get() + "': Pub/Sub accepts 10s to 600s");
                }
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "ack-deadline = '" + ackText.get() + "': " + e.getMessage());
            }
        }

        if (problems.size() > before) {
            return null;
        }
        return new JobDefinition(name, topic, subscription, command.get(), argv, schedule, zone, ackDeadline);
    }

    private static boolean checkResourceId(String key, String value, List<String> problems) {
        boolean valid = RESOURCE_ID.matcher(value).matches() && !value.startsWith("goog");
        if (!valid) {
            problems.add(key + " = '" + value + "': expected a Pub/Sub id of 3 to 255 characters, starting with a letter, "
                    + "of letters, digits and - _ . ~ + %, not starting with 'goog'");
        }
        return valid;
    }

    private static void reportUnknownKeys(ConfigView config, List<String> names, List<String> problems,
                                          List<String> warnings) {
        Set<String> unknown = new TreeSet<>();
        Set<String> unlisted = new TreeSet<>();
        for (String key : config.names()) {
            if (!key.startsWith(JOBS_KEY + ".")) {
                continue;
            }
            String rest = key.substring(JOBS_KEY.length() + 1);
            int dot = rest.indexOf('.');
            if (dot < 0) {
                unknown.add(key + ": expected jobs.<name>.<setting>");
                continue;
            }
            String job = rest.substring(0, dot);
            String setting = rest.substring(dot + 1);
            if (!names.contains(job)) {
                // Taking a job out of the list is how it is switched off, so its settings may stay.
                unlisted.add(key + " is ignored: job '" + job + "' is not listed in " + JOBS_KEY);
            } else if (!KNOWN_KEYS.contains(setting)) {
                unknown.add(key + ": unknown setting '" + setting + "'; known settings are " + new TreeSet<>(KNOWN_KEYS));
            }
        }
        problems.addAll(unknown);
        warnings.addAll(unlisted);
    }

    private static void reportSharedSubscriptions(Iterable<JobDefinition> jobs, List<String> problems) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (JobDefinition job : jobs) {
            String other = owners.putIfAbsent(job.subscription(), job.name());
            if (other != null) {
                problems.add(JOBS_KEY + "." + job.name() + ".subscription = '" + job.subscription()
                        + "': already used by job '" + other + "'; two jobs on one subscription would steal each other's ticks");
            }
        }
    }
}
