package io.cronexecutor.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the service's own settings ({@code cron.*}) from a lookup that gives a trimmed value or
 * nothing, failing with a message that names the key, the value and what was expected.
 */
public final class SettingReader {

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:]+:\\d{1,5}|\\[[0-9a-fA-F:]+\\]:\\d{1,5}");

    private final Function<String, Optional<String>> config;

    public SettingReader(Function<String, Optional<String>> config) {
        this.config = config;
    }

    public Optional<String> optional(String key) {
        return config.apply(key);
    }

    /** {@code true} or {@code false}, any case; {@code fallback} when unset. */
    public boolean flag(String key, boolean fallback) {
        Optional<String> value = config.apply(key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (value.get().equalsIgnoreCase("true") || value.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value.get());
        }
        throw new IllegalArgumentException(key + " = '" + value.get() + "': expected true or false");
    }

    /** The value, else the fallback, else a failure saying why the key is needed. */
    public String required(String key, Optional<String> fallback, String why) {
        return config.apply(key).or(() -> fallback)
                .orElseThrow(() -> new IllegalArgumentException(key + " is not set: " + why));
    }

    /** A {@code host:port} endpoint, if set. */
    public Optional<String> hostPort(String key) {
        Optional<String> value = config.apply(key);
        if (value.isPresent() && !HOST_PORT.matcher(value.get()).matches()) {
            throw new IllegalArgumentException(key + " = '" + value.get() + "': expected host:port");
        }
        return value;
    }

    /** A value matching {@code pattern}, else {@code fallback}; a failure naming {@code expected} otherwise. */
    public String matching(String key, Pattern pattern, String fallback, String expected) {
        String value = config.apply(key).orElse(fallback);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(key + " = '" + value + "': expected " + expected);
        }
        return value;
    }
}
