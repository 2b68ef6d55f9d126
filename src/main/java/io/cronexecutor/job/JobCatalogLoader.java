package io.cronexecutor.job;

import jakarta.enterprise.concurrent.CronTrigger;

import java.time.DateTimeException;
import java.time.Duration;
import java.nio.file.Path;
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
    static final Set<String> KNOWN_KEYS = Set.of(
            "command", "shell", "working-dir", "environment",
            "schedule", "time-zone",
            "topic", "subscription", "delivery", "ack-deadline", "dead-letter-topic", "max-delivery-attempts", "exactly-once",
            "timeout", "kill-grace", "output-limit", "retry-exit-codes", "on-failure",
            "max-concurrent", "overlap", "max-queued", "max-age");
    private static final Set<String> KNOWN_ENV_SETTINGS = KNOWN_KEYS.stream().map(JobCatalogLoader::envForm)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
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
        JobKeyReader keys = new JobKeyReader(config, JOBS_KEY + "." + name + ".", problems);

        CommandSpec command = readCommand(keys);
        SubscriptionSpec delivery = readDelivery(keys, name, problems);

        ZoneId zone = ZoneId.systemDefault();
        Optional<String> zoneText = keys.text("time-zone");
        if (zoneText.isPresent()) {
            try {
                zone = ZoneId.of(zoneText.get());
            } catch (DateTimeException e) {
                keys.problem("time-zone", zoneText.get(), "expected a zone id such as UTC or Europe/Paris");
            }
        }

        Optional<String> schedule = keys.text("schedule");
        if (schedule.isPresent()) {
            try {
                new CronTrigger(schedule.get(), zone);
            } catch (IllegalArgumentException e) {
                keys.problem("schedule", schedule.get(),
                        "expected a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first); "
                                + e.getMessage() + " is not valid");
            }
        }

        RunPolicy policy = readPolicy(keys);

        if (problems.size() > before) {
            return null;
        }
        return new JobDefinition(name, command, schedule, zone, delivery, policy);
    }

    private static CommandSpec readCommand(JobKeyReader keys) {
        Optional<String> command = keys.text("command");
        boolean shell = keys.bool("shell", false);
        List<String> argv = List.of();
        if (command.isEmpty()) {
            keys.missing("command", "every job needs the command it runs");
        } else if (shell) {
            argv = List.of("/bin/sh", "-c", command.get());
        } else {
            try {
                argv = CommandLineSplitter.split(command.get());
            } catch (IllegalArgumentException e) {
                keys.problem("command", command.get(), e.getMessage());
            }
        }
        Optional<Path> workingDir = keys.text("working-dir").map(Path::of);
        if (workingDir.isPresent() && !workingDir.get().isAbsolute()) {
            keys.problem("working-dir", workingDir.get().toString(), "expected an absolute path");
        }
        Map<String, String> environment = keys.environment("environment");
        return new CommandSpec(command.orElse(""), argv, shell, workingDir, environment);
    }

    private static SubscriptionSpec readDelivery(JobKeyReader keys, String name, List<String> problems) {
        String topic = keys.text("topic").orElse("cron-" + name);
        boolean topicValid = checkResourceId(keys.key("topic"), topic, problems);
        Optional<String> configuredSubscription = keys.text("subscription");
        String subscription = configuredSubscription.orElse(topic + "." + name);
        if (configuredSubscription.isPresent() || topicValid) { // a derived name inherits the topic's problem
            checkResourceId(keys.key("subscription"), subscription, problems);
        }
        DeliveryScope scope = keys.choice("delivery", DeliveryScope.class, DeliveryScope.ONE);
        Duration ackDeadline = keys.duration("ack-deadline", DEFAULT_ACK_DEADLINE, Duration.ofSeconds(10), Duration.ofSeconds(600));

        Optional<String> deadLetterTopic = keys.text("dead-letter-topic");
        deadLetterTopic.ifPresent(t -> checkResourceId(keys.key("dead-letter-topic"), t, problems));
        Optional<Integer> maxAttempts = keys.text("max-delivery-attempts").map(v -> keys.integer("max-delivery-attempts", 5, 5, 100));
        if (deadLetterTopic.isPresent() != maxAttempts.isPresent()) {
            keys.problem(deadLetterTopic.isPresent() ? "dead-letter-topic" : "max-delivery-attempts",
                    deadLetterTopic.orElse(maxAttempts.map(String::valueOf).orElse("")),
                    "dead-letter-topic and max-delivery-attempts go together: set both or neither");
        }
        boolean exactlyOnce = keys.bool("exactly-once", false);
        return new SubscriptionSpec(topic, subscription, scope, ackDeadline, deadLetterTopic, maxAttempts, exactlyOnce);
    }

    private static RunPolicy readPolicy(JobKeyReader keys) {
        Duration timeout = keys.duration("timeout", RunPolicy.DEFAULT_TIMEOUT, Duration.ofSeconds(1), Duration.ofDays(7));
        Duration killGrace = keys.duration("kill-grace", RunPolicy.DEFAULT_KILL_GRACE, Duration.ZERO, Duration.ofMinutes(10));
        int outputLimit = keys.size("output-limit", RunPolicy.DEFAULT_OUTPUT_LIMIT, 1024, 16 * 1024 * 1024);
        var retryCodes = keys.exitCodes("retry-exit-codes", RunPolicy.DEFAULT_RETRY_EXIT_CODES);
        FailurePolicy onFailure = keys.choice("on-failure", FailurePolicy.class, FailurePolicy.ACK);
        int maxConcurrent = keys.integer("max-concurrent", 1, 1, 1000);
        OverlapPolicy overlap = keys.choice("overlap", OverlapPolicy.class, OverlapPolicy.SKIP);
        int maxQueued = keys.integer("max-queued", RunPolicy.DEFAULT_MAX_QUEUED, 0, 1000);
        Optional<Duration> maxAge = keys.optionalDuration("max-age", Duration.ofSeconds(1), Duration.ofDays(31));
        return new RunPolicy(timeout, killGrace, outputLimit, retryCodes, onFailure, maxConcurrent, overlap, maxQueued, maxAge);
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
        // Spelled out once: with a thousand jobs, each configured by a few variables, doing it per
        // variable and job took seconds of start-up.
        List<String> envPrefixes = names.stream().map(job -> "JOBS_" + envForm(job) + "_").toList();
        Set<String> listed = Set.copyOf(names);
        for (String key : config.names()) {
            if (key.startsWith("JOBS_")) {
                envVariableProblem(key, envPrefixes).ifPresent(unknown::add);
                continue;
            }
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
            if (!listed.contains(job)) {
                // Taking a job out of the list is how it is switched off, so its settings may stay.
                unlisted.add(key + " is ignored: job '" + job + "' is not listed in " + JOBS_KEY);
            } else if (!KNOWN_KEYS.contains(setting)) {
                unknown.add(key + ": unknown setting '" + setting + "'; known settings are " + new TreeSet<>(KNOWN_KEYS));
            }
        }
        problems.addAll(unknown);
        warnings.addAll(unlisted);
    }

    /**
     * An environment variable JOBS_<JOB>_<SETTING> that fits no listed job's known setting. Job
     * names may themselves contain '-' (spelled '_'), so every reading of the name is tried; a
     * variable naming a job that is not listed is left alone, like its dotted form.
     */
    private static Optional<String> envVariableProblem(String variable, List<String> jobPrefixes) {
        boolean namesListedJob = false;
        for (String prefix : jobPrefixes) {
            if (!variable.startsWith(prefix)) {
                continue;
            }
            namesListedJob = true;
            if (KNOWN_ENV_SETTINGS.contains(variable.substring(prefix.length()))) {
                return Optional.empty();
            }
        }
        if (!namesListedJob) {
            return Optional.empty();
        }
        return Optional.of(variable + ": unknown setting; known settings are " + new TreeSet<>(KNOWN_ENV_SETTINGS));
    }

    private static String envForm(String name) {
        return name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
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
