package io.cronexecutor.engine;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.SubscriptionProvisioner;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.BrokerFixture;
import io.cronexecutor.testing.ExecutorProcessMain;
import io.cronexecutor.testing.InProcessExecutor;
import io.cronexecutor.testing.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A fleet member dies by SIGKILL mid-run: nothing of its command survives, and another member runs the tick. */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    @Test
    void executorKilledWithSigkillLeavesNoOrphanAndTheTickRunsOnAnotherInstance() throws Exception {
        Path pids = dir.resolve("pids");
        // On instance a the command hangs with a child and a detached grandchild; elsewhere it finishes.
        // "Mid-run": the tree is complete a second after the start, well after its group was registered.
        String script = "if [ \"$INSTANCE\" = a ]; then sleep 1; fi; echo $$ >> " + pids + "; "
                + "if [ \"$INSTANCE\" = a ]; then sleep 600 & (sleep 601 & echo $! >> " + pids + "); "
                + "echo $! >> " + pids + "; wait; fi; "
                + "echo ran on $INSTANCE attempt $CRON_DELIVERY_ATTEMPT";
        JobDefinition job = TestJobs.shellJob("crash", script);

        try (BrokerFixture fixture = new BrokerFixture()) {
            new SubscriptionProvisioner(fixture.clients()).provision(List.of(job), "test");
            Process memberA = ExecutorProcessMain.launch(fixture.endpoint(), job.name(), "a", dir.resolve("a.log"),
                    job.argv().toArray(String[]::new));
            try {
                Await.until(Duration.ofSeconds(60), () -> log(dir.resolve("a.log")).contains("READY"),
                        () -> "member a started: " + log(dir.resolve("a.log")));
                try (TickPublisher publisher = new TickPublisher(fixture.clients())) {
                    publisher.publish(job, "manual", Map.of());
                }
                Await.until(Duration.ofSeconds(30), () -> lines(pids).size() == 3, () -> "the command on a started its tree");
                List<Long> tree = lines(pids).stream().map(Long::parseLong).toList();

                memberA.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup in the JVM
                memberA.waitFor(10, TimeUnit.SECONDS);

                Await.until(Duration.ofSeconds(10), () -> tree.stream().noneMatch(Await::processAlive),
                        () -> "no process of the dead member's command survives: "
                                + tree.stream().filter(Await::processAlive).toList());

                try (InProcessExecutor memberB = new InProcessExecutor(fixture, "b", Duration.ofSeconds(5), job)) {
                    // The dead member's lease lapses within one ack deadline (10 s), then b gets the tick.
                    Await.until(Duration.ofSeconds(40), () -> memberB.latest(job.name())
                            .map(r -> r.state().isFinal()).orElse(false), () -> "member b ran the redelivered tick");
                    RunRecord run = memberB.latest(job.name()).orElseThrow();
                    assertEquals(RunState.SUCCEEDED, run.state(), run.toString());
                    assertEquals(2, run.deliveryAttempt());
                    assertEquals("ran on b attempt 2\n", run.output());
                    assertEquals(1, fixture.awaitStats(job.subscription(), Duration.ofSeconds(5), s -> s.acks() == 1).acks());
                }
            } finally {
                memberA.destroyForcibly();
            }
        }
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> lines(Path file) {
        return log(file).lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }
}
