package io.cronexecutor.testing;

import io.cronexecutor.job.CommandSpec;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.RunPolicy;
import io.cronexecutor.job.SubscriptionSpec;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Job definitions for tests, with the production defaults unless a test says otherwise. */
public final class TestJobs {

    private TestJobs() {
    }

    /** A job running argv directly, on topic {@code <name>-topic} and subscription {@code <name>-topic.<name>}. */
    public static JobDefinition job(String name, Duration ackDeadline, String... argv) {
        return new JobDefinition(name,
                new CommandSpec(String.join(" ", argv), List.of(argv), false, Optional.empty(), Map.of()),
                Optional.empty(), ZoneOffset.UTC,
                SubscriptionSpec.shared(name + "-topic", name + "-topic." + name, ackDeadline),
                RunPolicy.defaults());
    }

    public static JobDefinition job(String name, String... argv) {
        return job(name, Duration.ofSeconds(10), argv);
    }

    /** A job whose command is a /bin/sh script. */
    public static JobDefinition shellJob(String name, String script) {
        return job(name, "/bin/sh", "-c", script);
    }
}
