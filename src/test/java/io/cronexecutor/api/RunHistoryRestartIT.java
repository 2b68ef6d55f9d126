package io.cronexecutor.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.LibertyServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real Liberty server restarted on its own directory, as a rebooted VM: the runs it knew are still shown, paused jobs stay paused. */
class RunHistoryRestartIT {

    @Test
    void runsAndPausesRecordedBeforeARestartHoldAfterIt() throws IOException, InterruptedException {
        Map<String, String> env = LibertyServerProcess.jobsEnv("report,held", "report", "command", "echo written before the restart",
                "held", "command", "echo held until resumed");
        String runId;
        try (LibertyServerProcess server = LibertyServerProcess.start("history-restart", env)) {
            server.awaitStatus("/health/ready", 200, Duration.ofSeconds(120));
            HttpResponse<String> accepted = server.post("/jobs/report/runs");
            assertEquals(202, accepted.statusCode(), accepted.body());
            String location = URI.create(accepted.headers().firstValue("Location").orElseThrow()).getPath();
            runId = JsonParser.parseString(accepted.body()).getAsJsonObject().get("id").getAsString();
            Await.until(Duration.ofSeconds(60), () -> state(server, location).equals("SUCCEEDED"), () -> "the run succeeded");
            assertEquals(200, server.post("/jobs/held/pause").statusCode());
        }

        try (LibertyServerProcess server = LibertyServerProcess.start("history-restart", env, false)) {
            server.awaitStatus("/health/ready", 200, Duration.ofSeconds(120));
            JsonArray runs = JsonParser.parseString(server.get("/jobs/report/runs").body()).getAsJsonArray();
            assertEquals(1, runs.size(), runs.toString());
            JsonObject run = runs.get(0).getAsJsonObject();
            assertEquals(runId, run.get("id").getAsString());
            assertEquals("SUCCEEDED", run.get("state").getAsString());
            assertEquals("written before the restart\n", run.get("output").getAsString());
            JsonObject job = JsonParser.parseString(server.get("/jobs/report").body()).getAsJsonObject();
            assertEquals(runId, job.getAsJsonObject("lastRun").get("id").getAsString());
            assertTrue(server.consoleText().lines().noneMatch(l -> l.contains("Run " + runId + " of job report starting")),
                    "shown, not run again");

            // A job paused before the restart stays paused: its tick waits until it is resumed.
            JsonObject held = JsonParser.parseString(server.get("/jobs/held").body()).getAsJsonObject();
            assertTrue(held.get("paused").getAsBoolean(), held.toString());
            assertEquals("PAUSED", held.get("subscriber").getAsString());
            HttpResponse<String> tick = server.post("/jobs/held/runs");
            String heldRun = URI.create(tick.headers().firstValue("Location").orElseThrow()).getPath();
            Thread.sleep(2000);
            assertEquals("PUBLISHED", state(server, heldRun), "not pulled while paused");
            assertEquals(200, server.post("/jobs/held/resume").statusCode());
            Await.until(Duration.ofSeconds(60), () -> state(server, heldRun).equals("SUCCEEDED"), () -> "run once resumed");
        }
    }

    private static String state(LibertyServerProcess server, String runPath) {
        try {
            return JsonParser.parseString(server.get(runPath).body()).getAsJsonObject().get("state").getAsString();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
