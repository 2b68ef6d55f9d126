package io.cronexecutor.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one job's typed settings, recording a problem that names the key, the value and what was
 * expected for every value that does not parse, and answering the default so reading can go on.
 */
final class JobKeyReader {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final ConfigView config;
    private final String prefix;
    private final List<String> problems;

    JobKeyReader(ConfigView config, String prefix, List<String> problems) {
        this.config = config;
        this.prefix = prefix;
        this.problems = problems;
    }

    String key(String setting) {
        return prefix + setting;
    }

    Optional<String> text(String setting) {
        return config.get(key(setting)).map(String::trim).filter(v -> !v.isEmpty());
    }

    void missing(String setting, String why) {
        problems.add(key(setting) + " is missing: " + why);
    }

    void problem(String setting, String value, String expected) {
        problems.add(key(setting) + " = '" + value + "': " + expected);
    }

    Duration duration(String setting, Duration fallback, Duration min, Duration max) {
        return optionalDuration(setting, min, max).orElse(fallback);
    }

    Optional<Duration> optionalDuration(String setting, Duration min, Duration max) {
        Optional<String> value = text(setting);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            Duration d = DurationParser.parse(value.get());
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problem(setting, value.get(), "expected a duration from " + human(min) + " to " + human(max));
                return Optional.empty();
            }
            return Optional.of(d);
        } catch (IllegalArgumentException e) {
            problem(setting, value.get(), e.getMessage());
            return Optional.empty();
        }
    }

    int integer(String setting, int fallback, int min, int max) {
        Optional<String> value = text(setting);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(setting, value.get(), "expected a whole number from " + min + " to " + max);
        return fallback;
    }

    boolean bool(String setting, boolean fallback) {
        Optional<String> value = text(setting);
        if (value.isEmpty()) {
            return fallback;
        }
        String v = value.get().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        problem(setting, value.get(), "expected true or false");
        return fallback;
    }

    <E extends Enum<E>> E choice(String setting, Class<E> type, E fallback) {
        Optional<String> value = text(setting);
        if (value.isEmpty()) {
            return fallback;
        }
        for (E option : type.getEnumConstants()) {
            if (option.name().equalsIgnoreCase(value.get().replace('-', '_'))) {
                return option;
            }
        }
        List<String> names = new ArrayList<>();
        for (E option : type.getEnumConstants()) {
            names.add(option.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problem(setting, value.get(), "expected one of " + String.join(", ", names));
        return fallback;
    }

    int size(String setting, int fallback, int min, int max) {
        Optional<String> value = text(setting);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long bytes = SizeParser.parse(value.get());
            if (bytes >= min && bytes <= max) {
                return (int) bytes;
            }
        } catch (IllegalArgumentException notASize) {
            // reported below, with the range
        }
        problem(setting, value.get(), "expected a size from " + min / 1024 + "KiB to " + max / (1024 * 1024) + "MiB, such as 64KiB");
        return fallback;
    }

    Set<Integer> exitCodes(String setting, Set<Integer> fallback) {
        Optional<String> value = config.get(key(setting)).map(String::trim);
        if (value.isEmpty()) {
            return fallback;
        }
        Set<Integer> codes = new LinkedHashSet<>();
        for (String part : value.get().split(",")) {
            String code = part.trim();
            if (code.isEmpty()) {
                continue;
            }
            try {
                int n = Integer.parseInt(code);
                if (n >= 1 && n <= 255) {
                    codes.add(n);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(setting, value.get(), "expected comma-separated exit codes from 1 to 255 (0 always acks), such as 75,111");
            return fallback;
        }
        return codes;
    }

    /** Words of the form NAME=value, quoted like a command line: {@code A=1 "GREETING=hello world"}. */
    Map<String, String> environment(String setting) {
        Optional<String> value = text(setting);
        Map<String, String> env = new LinkedHashMap<>();
        if (value.isEmpty()) {
            return env;
        }
        try {
            for (String word : CommandLineSplitter.split(value.get())) {
                int eq = word.indexOf('=');
                if (eq <= 0 || !ENV_NAME.matcher(word.substring(0, eq)).matches()) {
                    problem(setting, value.get(), "expected NAME=value words, and '" + word + "' is not one");
                    return Map.of();
                }
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        } catch (IllegalArgumentException e) {
            problem(setting, value.get(), e.getMessage());
            return Map.of();
        }
        return env;
    }

    private static String human(Duration d) {
        if (d.toMillis() % 3_600_000 == 0 && d.toHours() > 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
