package io.cronexecutor.run;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment a command sees: the job's own variables, then what the tick says about itself.
 * Attribute names become variable names only after sanitising, and values are passed as they are:
 * nothing from a message ever reaches the command line.
 */
public final class TickEnvironment {

    private TickEnvironment() {
    }

    public static Map<String, String> of(String job, String runId, Tick tick, Map<String, String> jobEnvironment) {
        Map<String, String> env = new LinkedHashMap<>(jobEnvironment);
        tick.attributes().forEach((name, value) -> env.put(variableName(name), value));
        env.put("CRON_JOB", job);
        env.put("CRON_RUN_ID", runId);
        env.put("CRON_MESSAGE_ID", tick.messageId());
        env.put("CRON_DELIVERY_ATTEMPT", Integer.toString(tick.deliveryAttempt()));
        env.put("CRON_PUBLISH_TIME", tick.publishTime().toString());
        return env;
    }

    /** The variable an attribute reaches the command as. */
    public static String variableName(String attribute) {
        return "CRON_ATTR_" + sanitise(attribute);
    }

    /** Upper case, and every character other than A-Z, 0-9 and _ becomes _. */
    static String sanitise(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) {
            out.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return out.toString();
    }
}
