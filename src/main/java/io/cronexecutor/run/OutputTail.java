package io.cronexecutor.run;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last {@code limit} characters of a command's output, kept as whole lines where possible, so
 * memory stays bounded however much a command prints.
 */
public final class OutputTail {

    static final String TRUNCATION_MARK = "[... earlier output truncated ...]\n";

    private final int limit;
    private final Deque<String> lines = new ArrayDeque<>();
    private long size;
    private boolean truncated;

    public OutputTail(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("output limit must be positive, was " + limit);
        }
        this.limit = limit;
    }

    public synchronized void addLine(String line) {
        String kept = line.length() + 1 > limit ? line.substring(line.length() + 1 - limit) : line;
        if (kept.length() < line.length()) {
            truncated = true;
        }
        lines.addLast(kept);
        size += kept.length() + 1;
        while (size > limit) {
            size -= lines.removeFirst().length() + 1;
            truncated = true;
        }
    }

    public synchronized boolean truncated() {
        return truncated;
    }

    /** The kept lines, each ending in a newline; prefixed with a mark when output was dropped. */
    public synchronized String text() {
        StringBuilder out = new StringBuilder((int) size + TRUNCATION_MARK.length());
        if (truncated) {
            out.append(TRUNCATION_MARK);
        }
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
