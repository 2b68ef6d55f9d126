package io.cronexecutor.logging;

import io.cronexecutor.config.SettingReader;
import io.cronexecutor.job.SizeParser;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where run logs go in Cloud Logging, read from {@code cron.logging.cloud.*}.
 *
 * @param project      the project whose log receives the entries
 * @param logName      the log's id, {@code cron-executor} unless set
 * @param emulatorHost host:port of a local, plaintext Logging endpoint (no credentials), for tests
 * @param bufferBytes  serialized bytes held while the API is slow or down; beyond it entries are dropped
 */
public record CloudLoggingSettings(String project, String logName, Optional<String> emulatorHost, long bufferBytes) {

    public static final String ENABLED = "cron.logging.cloud.enabled";
    public static final String PROJECT = "cron.logging.cloud.project";
    public static final String LOG_NAME = "cron.logging.cloud.log-name";
    public static final String EMULATOR_HOST = "cron.logging.cloud.emulator-host";
    public static final String BUFFER_SIZE = "cron.logging.cloud.buffer-size";

    public static final String DEFAULT_LOG_NAME = "cron-executor";
    public static final long DEFAULT_BUFFER_BYTES = 8L << 20;
    static final long MIN_BUFFER_BYTES = 64L << 10;
    static final long MAX_BUFFER_BYTES = 1L << 30;

    // Cloud Logging's rule for a log id: letters, digits, and / _ - . up to 512 characters.
    private static final Pattern LOG_ID = Pattern.compile("[A-Za-z0-9/_.\\-]{1,512}");

    /**
     * The settings if Cloud Logging is enabled, empty if not.
     *
     * @param config         reads one key (trimmed, empty meaning unset)
     * @param pubsubProject  the Pub/Sub project, the default project for the logs
     * @throws IllegalArgumentException naming the key, the value and what was expected
     */
    public static Optional<CloudLoggingSettings> resolve(Function<String, Optional<String>> config, Optional<String> pubsubProject) {
        SettingReader settings = new SettingReader(config);
        if (!settings.flag(ENABLED, false)) {
            return Optional.empty();
        }
        String project = settings.required(PROJECT, pubsubProject, "Cloud Logging (" + ENABLED
                + " = true) needs the project to write to; set it, or cron.pubsub.project");
        String logName = settings.matching(LOG_NAME, LOG_ID, DEFAULT_LOG_NAME,
                "a log id of letters, digits, '/', '_', '-' and '.', at most 512 characters");
        Optional<String> emulator = settings.hostPort(EMULATOR_HOST);
        long buffer = settings.optional(BUFFER_SIZE).map(CloudLoggingSettings::bufferSize).orElse(DEFAULT_BUFFER_BYTES);
        return Optional.of(new CloudLoggingSettings(project, logName, emulator, buffer));
    }

    private static long bufferSize(String text) {
        try {
            long bytes = SizeParser.parse(text);
            if (bytes >= MIN_BUFFER_BYTES && bytes <= MAX_BUFFER_BYTES) {
                return bytes;
            }
        } catch (IllegalArgumentException notASize) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(BUFFER_SIZE + " = '" + text + "': expected a size from 64KiB to 1024MiB, such as 8MiB");
    }
}
