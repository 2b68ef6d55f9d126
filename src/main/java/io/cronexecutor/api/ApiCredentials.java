package io.cronexecutor.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The REST API's two callers, {@value #OPERATOR} and {@value #VIEWER}, and their passwords from
 * configuration. A caller whose password is not configured cannot sign in at all: the API is
 * closed by default rather than open.
 */
public record ApiCredentials(Optional<String> operatorPassword, Optional<String> viewerPassword) {

    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";
    public static final String OPERATOR_KEY = "cron.api.operator-password";
    public static final String VIEWER_KEY = "cron.api.viewer-password";
    /** Long enough that guessing it over HTTP is hopeless; short enough to paste. */
    static final int MIN_LENGTH = 12;

    /**
     * Validates configured passwords. A message names the key and what is expected, never the
     * value: it ends up in logs.
     */
    public static ApiCredentials of(Optional<String> operator, Optional<String> viewer) {
        return new ApiCredentials(checked(OPERATOR_KEY, operator), checked(VIEWER_KEY, viewer));
    }

    private static Optional<String> checked(String key, Optional<String> password) {
        Optional<String> value = password.filter(p -> !p.isEmpty());
        if (value.isPresent()) {
            String p = value.get();
            if (p.length() < MIN_LENGTH) {
                throw new IllegalArgumentException(key + " (value not shown): expected at least " + MIN_LENGTH
                        + " characters, got " + p.length());
            }
            if (!p.strip().equals(p)) {
                throw new IllegalArgumentException(key + " (value not shown): expected no leading or trailing whitespace");
            }
        }
        return value;
    }

    /** The roles of a caller whose password matches, or empty. An operator may also read. */
    public Optional<Set<String>> rolesOf(String caller, String password) {
        if (OPERATOR.equals(caller) && matches(operatorPassword, password)) {
            return Optional.of(Set.of(OPERATOR, VIEWER));
        }
        if (VIEWER.equals(caller) && matches(viewerPassword, password)) {
            return Optional.of(Set.of(VIEWER));
        }
        return Optional.empty();
    }

    public boolean anyConfigured() {
        return operatorPassword.isPresent() || viewerPassword.isPresent();
    }

    private static boolean matches(Optional<String> expected, String given) {
        // Constant-time, so the time of a refusal does not tell how much of a guess was right.
        return expected.isPresent() && given != null && MessageDigest.isEqual(
                expected.get().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
