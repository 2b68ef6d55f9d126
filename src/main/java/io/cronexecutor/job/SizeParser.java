package io.cronexecutor.job;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sizes such as {@code 512}, {@code 64KiB}, {@code 8MiB} (also {@code 64k}, {@code 8MB}): binary units. */
public final class SizeParser {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(k|kb|kib|m|mb|mib|b)?", Pattern.CASE_INSENSITIVE);

    private SizeParser() {
    }

    /** The size in bytes; IllegalArgumentException if the text is not a size. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit.charAt(0)) {
            case 'k' -> n * 1024;
            case 'm' -> n * 1024 * 1024;
            default -> n;
        };
    }
}
