package io.cronexecutor.api;

import io.cronexecutor.testing.LibertyServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad job definition stops the application from starting, with a message an operator can act on. */
class BadConfigurationIT {

    @Test
    void badJobDefinitionStopsStartUpNamingKeyValueAndExpectation() throws IOException {
        Map<String, String> env = LibertyServerProcess.jobsEnv("backup",
                "backup", "command", "/opt/backup/run.sh",
                "backup", "schedule", "61 * * * *",
                "backup", "timeout", "forever");
        try (LibertyServerProcess server = LibertyServerProcess.start("bad-config", env)) {
            String log = consoleOnceTheApplicationFailed(server);
            assertTrue(log.contains("CWWKZ0012I: The application cron-executor was not started"), "the application did not start");
            assertTrue(log.contains("[ERROR   ] Invalid job configuration:"), "the problems are logged as an error of their own, not only in a stack trace");
            assertTrue(log.contains("jobs.backup.schedule = '61 * * * *': expected a cron expression"), log);
            assertTrue(log.contains("jobs.backup.timeout = 'forever': expected a duration such as 30s"), log);
            assertEquals(404, server.get("/jobs").statusCode(), "no API is served by an application that did not start");
        }
    }

    @Test
    void badServiceSettingStopsStartUpNamingKeyValueAndExpectation() throws IOException {
        Map<String, String> env = new java.util.HashMap<>(LibertyServerProcess.jobsEnv("ok", "ok", "command", "true"));
        env.put("CRON_SHUTDOWN_GRACE", "soon");
        try (LibertyServerProcess server = LibertyServerProcess.start("bad-setting", env)) {
            String log = consoleOnceTheApplicationFailed(server);
            assertTrue(log.contains("Invalid service configuration: cron.shutdown.grace = 'soon': expected a duration"), log);
            assertEquals(404, server.get("/jobs").statusCode());
        }
    }

    @Test
    void tooShortApiPasswordStopsStartUpWithoutShowingIt() throws IOException {
        Map<String, String> env = new java.util.HashMap<>(LibertyServerProcess.jobsEnv("ok", "ok", "command", "true"));
        env.put("CRON_API_OPERATOR_PASSWORD", "hunter2");
        try (LibertyServerProcess server = LibertyServerProcess.start("bad-password", env)) {
            String log = consoleOnceTheApplicationFailed(server);
            assertTrue(log.contains("Invalid service configuration: cron.api.operator-password (value not shown): expected at least 12 characters"), log);
            assertFalse(log.contains("hunter2"), "a password never reaches the log");
            assertEquals(404, server.get("/jobs").statusCode());
        }
    }

    /** The console once Liberty has reported that the application did not start (or after two minutes). */
    private static String consoleOnceTheApplicationFailed(LibertyServerProcess server) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!server.consoleText().contains("CWWKZ0012I") && System.nanoTime() < deadline) {
            sleep();
        }
        return server.consoleText();
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
