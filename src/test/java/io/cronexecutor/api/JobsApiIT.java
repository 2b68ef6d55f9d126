package io.cronexecutor.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.logging.v2.LogEntry;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.FakeCloudLogging;
import io.cronexecutor.testing.FakeCloudScheduler;
import io.cronexecutor.testing.LibertyServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API against a real Liberty server running the WAR on its embedded broker. */
class JobsApiIT {

    private static LibertyServerProcess server;
    private static FakeCloudLogging cloudLogging;
    private static FakeCloudScheduler cloudScheduler;

    @BeforeAll
    static void startServer() throws IOException {
        cloudLogging = new FakeCloudLogging();
        cloudScheduler = new FakeCloudScheduler();
        Map<String, String> env = LibertyServerProcess.jobsEnv("echo,fail,literal,missing,sleeper,pausable,input",
                "input", "shell", "true",
                "input", "command", "cat; printf 'mode=%s\\n' \"$CRON_ATTR_MODE\"",
                "sleeper", "command", "sleep 300",
                "sleeper", "kill-grace", "1s",
                "pausable", "command", "echo the paused job ran",
                "echo", "command", "echo \"hello from the IT\" 'two words'",
                "fail", "command", "sh -c 'echo about to fail >&2; exit 3'",
                "literal", "command", "echo $HOME;ls | cat > /tmp/should-not-exist",
                "missing", "command", "/nonexistent/binary --flag",
                "literal", "schedule", "0 0 1 1 *",
                "literal", "time-zone", "Europe/Paris");
        env.put("CRON_LOGGING_CLOUD_ENABLED", "true");
        env.put("CRON_LOGGING_CLOUD_PROJECT", "logs-project");
        env.put("CRON_LOGGING_CLOUD_EMULATOR_HOST", cloudLogging.hostPort());
        env.put("CRON_SCHEDULER_CLOUD_ENABLED", "true");
        env.put("CRON_SCHEDULER_CLOUD_PROJECT", "sched-project");
        env.put("CRON_SCHEDULER_CLOUD_LOCATION", "us-central1");
        env.put("CRON_SCHEDULER_CLOUD_EMULATOR_HOST", cloudScheduler.hostPort());
        server = LibertyServerProcess.start("jobs-api", env);
        server.awaitStatus("/health/ready", 200, Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (cloudLogging != null) {
            cloudLogging.close();
        }
        if (cloudScheduler != null) {
            cloudScheduler.close();
        }
    }

    @Test
    void readinessIsUpOnceEverySubscriberRuns() throws IOException {
        JsonObject health = json(server.get("/health/ready")).getAsJsonObject();
        assertEquals("UP", health.get("status").getAsString());
        JsonObject subscribers = health.getAsJsonArray("checks").get(0).getAsJsonObject();
        assertEquals("subscribers", subscribers.get("name").getAsString());
        assertEquals("RUNNING", subscribers.getAsJsonObject("data").get("echo").getAsString());
    }

    @Test
    void triggeredJobRunsItsRealCommandAndShowsExitCodeAndOutput() throws IOException {
        HttpResponse<String> accepted = server.post("/jobs/echo/runs");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String location = accepted.headers().firstValue("Location").orElseThrow();
        String runId = json(accepted).getAsJsonObject().get("id").getAsString();
        assertTrue(location.endsWith("/jobs/echo/runs/" + runId), location);

        JsonObject run = awaitFinished(URI.create(location).getPath());
        assertEquals("SUCCEEDED", run.get("state").getAsString());
        assertEquals(0, run.get("exitCode").getAsInt());
        assertEquals("hello from the IT two words\n", run.get("output").getAsString());
        assertEquals("manual", run.get("trigger").getAsString());
        assertEquals(1, run.get("deliveryAttempt").getAsInt());

        JsonArray runs = json(server.get("/jobs/echo/runs")).getAsJsonArray();
        List<String> ids = new ArrayList<>();
        runs.forEach(r -> ids.add(r.getAsJsonObject().get("id").getAsString()));
        assertTrue(ids.contains(runId), ids.toString());
        assertTrue(server.consoleText().contains("[echo " + runId + "] hello from the IT two words"),
                "each output line is logged with its job and run");
        double lastSuccess = server.get("/metrics?scope=application").body().lines()
                .filter(l -> l.startsWith("cron_last_success_timestamp_seconds{") && l.contains("job=\"echo\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
        double endedAt = java.time.Instant.parse(run.get("endedAt").getAsString()).toEpochMilli() / 1000.0;
        assertTrue(lastSuccess >= endedAt - 0.001, "last success time in /metrics: " + lastSuccess + ", run ended " + endedAt);
    }

    @Test
    void runOutputAndOutcomeAlsoGoToCloudLoggingWhenEnabled() throws IOException {
        JsonObject run = awaitFinished(locationOf(server.post("/jobs/fail/runs")));
        String runId = run.get("id").getAsString();
        Await.until(Duration.ofSeconds(30), () -> entriesOf(runId).size() == 2, () -> "2 entries of run " + runId
                + " in Cloud Logging, got " + entriesOf(runId));

        List<LogEntry> entries = entriesOf(runId);
        assertEquals("about to fail", entries.get(0).getTextPayload());
        assertEquals("FAILED", entries.get(1).getJsonPayload().getFieldsOrThrow("state").getStringValue());
        assertEquals(3, entries.get(1).getJsonPayload().getFieldsOrThrow("exitCode").getNumberValue());
        assertEquals("projects/logs-project/logs/cron-executor", cloudLogging.requests().get(0).getLogName());
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return server.get("/metrics?scope=application").body().lines().anyMatch(l ->
                        l.startsWith("cron_cloud_logging_entries_total{") && l.contains("outcome=\"written\"") && !l.endsWith(" 0.0"));
            } catch (IOException e) {
                return false;
            }
        }, () -> "written entries counted in /metrics");
        assertTrue(server.consoleText().contains("Run output and results go to Cloud Logging: log cron-executor in project logs-project"));
    }

    @Test
    void scheduledJobsGetACloudSchedulerJobWhenSyncIsOn() throws IOException {
        String name = "projects/sched-project/locations/us-central1/jobs/cron-literal";
        Await.until(Duration.ofSeconds(30), () -> cloudScheduler.job(name) != null,
                () -> "Cloud Scheduler job " + name + ", have " + cloudScheduler.jobs().keySet());
        com.google.cloud.scheduler.v1.Job job = cloudScheduler.job(name);
        assertEquals("0 0 1 1 *", job.getSchedule());
        assertEquals("Europe/Paris", job.getTimeZone());
        assertTrue(job.getPubsubTarget().getTopicName().endsWith("/topics/cron-literal"), job.toString());
        assertEquals(1, cloudScheduler.jobs().size(), "only the scheduled job");
        assertTrue(server.consoleText().contains("ticks come from outside"), "the embedded scheduler is off");
    }

    private static List<LogEntry> entriesOf(String runId) {
        return cloudLogging.entries().stream().filter(e -> runId.equals(e.getLabelsMap().get("run_id"))).toList();
    }

    @Test
    void failingCommandIsRecordedFailedWithItsExitCodeAndStderr() throws IOException {
        JsonObject run = awaitFinished(locationOf(server.post("/jobs/fail/runs")));
        assertEquals("FAILED", run.get("state").getAsString());
        assertEquals(3, run.get("exitCode").getAsInt());
        assertEquals("about to fail\n", run.get("output").getAsString());

        String metrics = server.get("/metrics?scope=application").body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("cron_runs_total{") && l.contains("job=\"fail\"")
                && l.contains("state=\"FAILED\"") && !l.endsWith(" 0.0")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("cron_run_duration_seconds_count{") && l.contains("job=\"fail\"")),
                metrics);
    }

    @Test
    void commandsStartThroughTheNativeLauncherInsideLiberty() throws IOException {
        // The JNI library must load from the WAR in the server's class loader, not only in unit tests.
        assertTrue(server.consoleText().contains("commands start through posix_spawn"), "start-up line names the launcher");
    }

    @Test
    void commandRunsWithoutAShellSoOperatorsAreLiteralWords() throws IOException {
        JsonObject run = awaitFinished(locationOf(server.post("/jobs/literal/runs")));
        assertEquals("SUCCEEDED", run.get("state").getAsString());
        assertEquals("$HOME;ls | cat > /tmp/should-not-exist\n", run.get("output").getAsString());
    }

    @Test
    void commandThatCannotStartIsRecordedAsErrorWithTheReason() throws IOException {
        JsonObject run = awaitFinished(locationOf(server.post("/jobs/missing/runs")));
        assertEquals("ERROR", run.get("state").getAsString());
        assertTrue(run.get("detail").getAsString().contains("/nonexistent/binary"), run.toString());
        assertFalse(run.has("exitCode"));
    }

    @Test
    void jobListShowsEveryConfiguredJobWithItsArgv() throws IOException {
        JsonArray jobs = json(server.get("/jobs")).getAsJsonArray();
        assertEquals(7, jobs.size());
        JsonObject echo = json(server.get("/jobs/echo")).getAsJsonObject();
        assertEquals("cron-echo", echo.get("topic").getAsString());
        assertEquals("cron-echo.echo", echo.get("subscription").getAsString());
        assertEquals("RUNNING", echo.get("subscriber").getAsString());
        JsonArray argv = echo.getAsJsonArray("argv");
        assertEquals(3, argv.size());
        assertEquals("two words", argv.get(2).getAsString());
    }

    @Test
    void unknownJobAnswers404WithAJsonError() throws IOException {
        for (HttpResponse<String> response : List.of(server.get("/jobs/nope"), server.post("/jobs/nope/runs"),
                server.get("/jobs/nope/runs"))) {
            assertEquals(404, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonObject error = json(response).getAsJsonObject();
            assertEquals(404, error.get("status").getAsInt());
            assertEquals("no job named 'nope'", error.get("message").getAsString());
        }
    }

    @Test
    void unknownRunAnswers404NamingTheRun() throws IOException {
        HttpResponse<String> response = server.get("/jobs/echo/runs/no-such-run");
        assertEquals(404, response.statusCode());
        assertTrue(json(response).getAsJsonObject().get("message").getAsString().contains("no-such-run"));
    }

    @Test
    void runningRunIsCancelledWithItsProcessTreeAndQueuedOnesCannotBeCancelledTwice() throws IOException {
        String run = locationOf(server.post("/jobs/sleeper/runs"));
        awaitState(run, "RUNNING");
        HttpResponse<String> cancelled = server.send(java.net.http.HttpRequest.newBuilder(server.uri(run)).DELETE());
        assertEquals(202, cancelled.statusCode(), cancelled.body());
        JsonObject finished = awaitFinished(run);
        assertEquals("CANCELLED", finished.get("state").getAsString());
        assertEquals("ACK", finished.get("settlement").getAsString());

        HttpResponse<String> again = server.send(java.net.http.HttpRequest.newBuilder(server.uri(run)).DELETE());
        assertEquals(409, again.statusCode());
        assertTrue(json(again).getAsJsonObject().get("message").getAsString().contains("is CANCELLED"));
    }

    @Test
    void pausedJobLeavesItsTicksWaitingUntilResumed() throws IOException, InterruptedException {
        JsonObject paused = json(server.post("/jobs/pausable/pause")).getAsJsonObject();
        assertTrue(paused.get("paused").getAsBoolean());
        assertEquals("PAUSED", paused.get("subscriber").getAsString());
        assertEquals(200, server.get("/health/ready").statusCode(), "a paused job does not make the instance unready");

        String run = locationOf(server.post("/jobs/pausable/runs"));
        Thread.sleep(2000);
        assertEquals("PUBLISHED", json(server.get(run)).getAsJsonObject().get("state").getAsString(), "not pulled while paused");

        JsonObject resumed = json(server.post("/jobs/pausable/resume")).getAsJsonObject();
        assertFalse(resumed.get("paused").getAsBoolean());
        JsonObject finished = awaitFinished(run);
        assertEquals("SUCCEEDED", finished.get("state").getAsString());
        assertEquals("the paused job ran\n", finished.get("output").getAsString());
    }

    @Test
    void triggerBodyHandsDataOnStdinAndAttributesAsVariablesNeverAsCommandLine() throws IOException {
        String body = "{\"data\": \"first line\\n$(touch /tmp/cron-should-not-exist)\\n\", "
                + "\"attributes\": {\"mode\": \"full; rm -rf /\"}}";
        HttpResponse<String> accepted = server.send(HttpRequest.newBuilder(server.uri("/jobs/input/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        JsonObject run = awaitFinished(locationOf(accepted));
        assertEquals("SUCCEEDED", run.get("state").getAsString(), run.toString());
        assertEquals("first line\n$(touch /tmp/cron-should-not-exist)\nmode=full; rm -rf /\n", run.get("output").getAsString());
        assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/tmp/cron-should-not-exist")));
    }

    @Test
    void badTriggerBodiesAreRefusedNamingTheProblemAndPublishNothing() throws IOException {
        int runsBefore = json(server.get("/jobs/input/runs")).getAsJsonArray().size();
        record Case(String body, String contentType, int status, String message) {
        }
        for (Case c : List.of(
                new Case("{\"atributes\": {\"mode\": \"full\"}}", "application/json", 400, "request body: unknown field 'atributes'"),
                new Case("{\"data\": ", "application/json", 400, "request body: not valid JSON at line 1"),
                new Case("{\"attributes\": {\"retries\": 3}}", "application/json", 400, "attributes.retries: expected a string, got a number"),
                new Case("{\"attributes\": {\"cron-tick-id\": \"x\"}}", "application/json", 400, "attributes.cron-tick-id: names starting with 'cron-'"),
                new Case("mode=full", "application/x-www-form-urlencoded", 415, "request body: expected Content-Type application/json"),
                new Case("{\"data\": \"" + "x".repeat(ManualTick.MAX_BODY_BYTES) + "\"}", "application/json", 413,
                        "request body: at most " + ManualTick.MAX_BODY_BYTES + " bytes"))) {
            HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.uri("/jobs/input/runs"))
                    .header("Content-Type", c.contentType()).POST(HttpRequest.BodyPublishers.ofString(c.body())));
            assertEquals(c.status(), refused.statusCode(), refused.body());
            JsonObject error = json(refused).getAsJsonObject();
            assertEquals(c.status(), error.get("status").getAsInt());
            assertTrue(error.get("message").getAsString().startsWith(c.message()), error.toString());
        }
        assertEquals(runsBefore, json(server.get("/jobs/input/runs")).getAsJsonArray().size(), "no tick was published");
    }

    @Test
    void anonymousCallersAreAskedToSignInAndChangeNothing() throws IOException {
        int runsBefore = json(server.get("/jobs/echo/runs")).getAsJsonArray().size();
        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(server.uri("/jobs")).GET(),
                HttpRequest.newBuilder(server.uri("/jobs/echo/runs")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(server.uri("/jobs/pausable/pause")).POST(HttpRequest.BodyPublishers.noBody()))) {
            HttpResponse<String> refused = server.sendAnonymously(request);
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"cron-executor\""),
                    refused.headers().map().toString());
            JsonObject error = json(refused).getAsJsonObject();
            assertEquals(401, error.get("status").getAsInt());
            assertTrue(error.get("message").getAsString().contains("cron.api.operator-password"), error.toString());
        }
        HttpResponse<String> wrong = server.sendAs("operator", "not-the-password",
                HttpRequest.newBuilder(server.uri("/jobs/echo/runs")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, wrong.statusCode(), "a wrong password is no sign-in");
        assertEquals(runsBefore, json(server.get("/jobs/echo/runs")).getAsJsonArray().size(), "no tick was published");
        assertFalse(json(server.get("/jobs/pausable")).getAsJsonObject().get("paused").getAsBoolean());
    }

    @Test
    void viewerReadsButCannotTriggerPauseOrCancel() throws IOException {
        HttpResponse<String> jobs = server.sendAs("viewer", LibertyServerProcess.VIEWER_PASSWORD,
                HttpRequest.newBuilder(server.uri("/jobs")).GET());
        assertEquals(200, jobs.statusCode(), jobs.body());
        assertEquals(7, json(jobs).getAsJsonArray().size());
        int runsBefore = json(server.get("/jobs/echo/runs")).getAsJsonArray().size();
        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(server.uri("/jobs/echo/runs")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(server.uri("/jobs/pausable/pause")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(server.uri("/jobs/echo/runs/any")).DELETE())) {
            HttpResponse<String> refused = server.sendAs("viewer", LibertyServerProcess.VIEWER_PASSWORD, request);
            assertEquals(403, refused.statusCode(), refused.body());
            JsonObject error = json(refused).getAsJsonObject();
            assertEquals(403, error.get("status").getAsInt());
            assertTrue(error.get("message").getAsString().contains("'viewer' may read but not change state"), error.toString());
        }
        assertEquals(runsBefore, json(server.get("/jobs/echo/runs")).getAsJsonArray().size(), "no tick was published");
        assertFalse(json(server.get("/jobs/pausable")).getAsJsonObject().get("paused").getAsBoolean());
    }

    @Test
    void healthMetricsAndOpenApiNeedNoSignIn() throws IOException {
        for (String path : List.of("/health/ready", "/health/live", "/metrics", "/openapi")) {
            HttpResponse<String> response = server.sendAnonymously(HttpRequest.newBuilder(server.uri(path)).GET());
            assertEquals(200, response.statusCode(), path + ": " + response.body());
        }
        String openApi = server.sendAnonymously(HttpRequest.newBuilder(server.uri("/openapi")).GET()).body();
        assertTrue(openApi.contains("scheme: basic"), "the document says how to sign in:\n" + openApi);
        assertTrue(openApi.contains("text for stdin"), "and shows a trigger body");
    }

    @Test
    void credentialsSentToOpenEndpointsAreIgnoredWithoutErrorsInTheLog() throws IOException {
        // A scraper or a script may send the API's credentials everywhere, right or wrong.
        for (String path : List.of("/health/ready", "/metrics", "/openapi")) {
            assertEquals(200, server.get(path).statusCode(), path);
            assertEquals(200, server.sendAs("operator", "not-the-password", HttpRequest.newBuilder(server.uri(path)).GET())
                    .statusCode(), path);
        }
        assertFalse(server.consoleText().contains("CWWKS3005E"), "no 'no user registry' error logged");
    }

    private static void awaitState(String runPath, String state) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (json(server.get(runPath)).getAsJsonObject().get("state").getAsString().equals(state)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new AssertionError(runPath + " never reached " + state);
    }

    private static String locationOf(HttpResponse<String> accepted) {
        assertEquals(202, accepted.statusCode(), accepted.body());
        return URI.create(accepted.headers().firstValue("Location").orElseThrow()).getPath();
    }

    private static JsonObject awaitFinished(String runPath) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject run = null;
        while (System.nanoTime() < deadline) {
            run = json(server.get(runPath)).getAsJsonObject();
            String state = run.get("state").getAsString();
            if (!state.equals("PUBLISHED") && !state.equals("RUNNING")) {
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new AssertionError("run did not finish in 60s: " + run);
    }

    private static JsonElement json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body());
    }
}
