package io.cronexecutor.api;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiCredentialsTest {

    private static final String OPERATOR = "correct horse battery";
    private static final String VIEWER = "staple viewer secret";

    private final ApiCredentials both = ApiCredentials.of(Optional.of(OPERATOR), Optional.of(VIEWER));

    @Test
    void operatorMayReadAndChange() {
        assertEquals(Optional.of(Set.of("operator", "viewer")), both.rolesOf("operator", OPERATOR));
    }

    @Test
    void viewerMayOnlyRead() {
        assertEquals(Optional.of(Set.of("viewer")), both.rolesOf("viewer", VIEWER));
    }

    @Test
    void aPasswordOnlyOpensItsOwnCaller() {
        assertEquals(Optional.empty(), both.rolesOf("operator", VIEWER));
        assertEquals(Optional.empty(), both.rolesOf("viewer", OPERATOR));
        assertEquals(Optional.empty(), both.rolesOf("root", OPERATOR));
        assertEquals(Optional.empty(), both.rolesOf("operator", OPERATOR + " "));
        assertEquals(Optional.empty(), both.rolesOf("operator", null));
    }

    @Test
    void withNoPasswordConfiguredNobodySignsIn() {
        ApiCredentials none = ApiCredentials.of(Optional.empty(), Optional.of(""));
        assertFalse(none.anyConfigured());
        assertEquals(Optional.empty(), none.rolesOf("operator", ""));
        assertEquals(Optional.empty(), none.rolesOf("viewer", ""));
        assertEquals(Optional.empty(), none.rolesOf("operator", null));
    }

    @Test
    void onlyTheViewerConfiguredLeavesTheOperatorLockedOut() {
        ApiCredentials viewerOnly = ApiCredentials.of(Optional.empty(), Optional.of(VIEWER));
        assertTrue(viewerOnly.anyConfigured());
        assertEquals(Optional.empty(), viewerOnly.rolesOf("operator", ""));
        assertEquals(Optional.of(Set.of("viewer")), viewerOnly.rolesOf("viewer", VIEWER));
    }

    @Test
    void shortPasswordIsRefusedNamingTheKeyButNotTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiCredentials.of(Optional.of("hunter2"), Optional.empty()));
        assertEquals("cron.api.operator-password (value not shown): expected at least 12 characters, got 7", e.getMessage());
    }

    @Test
    void passwordWithSurroundingWhitespaceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiCredentials.of(Optional.empty(), Optional.of(VIEWER + "\n")));
        assertTrue(e.getMessage().startsWith("cron.api.viewer-password (value not shown): expected no leading"), e.getMessage());
    }
}
