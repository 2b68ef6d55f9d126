package io.cronexecutor;

import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.JobSubscriber;
import io.cronexecutor.pubsub.PubSubClients;
import io.cronexecutor.pubsub.SubscriptionProvisioner;
import io.cronexecutor.run.OutputSink;
import io.cronexecutor.run.ProcessLauncher;
import io.cronexecutor.run.ProcessRunner;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunTimer;
import io.cronexecutor.run.TickDispatcher;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The executor itself, without the container: provisions the jobs' subscriptions, pulls their
 * ticks, runs them under their policies, and shuts down gracefully. The Liberty application wires
 * it to managed executors; tests and a fleet member in its own JVM wire it to plain ones.
 */
public final class ExecutorEngine {

    private static final Logger LOG = Logger.getLogger(ExecutorEngine.class.getName());

    /**
     * @param instanceId    names this instance's own subscriptions ({@code delivery=all})
     * @param shutdownGrace how long running commands get to finish at shutdown
     * @param launcher      how commands are started
     * @param sink          where output lines go
     * @param pausedAtStart jobs whose subscribers start paused (an operator paused them before a restart)
     */
    public record Options(String instanceId, Duration shutdownGrace, ProcessLauncher launcher, OutputSink sink,
                          Set<String> pausedAtStart) {

        public Options(String instanceId, Duration shutdownGrace, ProcessLauncher launcher, OutputSink sink) {
            this(instanceId, shutdownGrace, launcher, sink, Set.of());
        }
    }

    private final List<JobDefinition> jobs;
    private final TickDispatcher dispatcher;
    private final Map<String, JobSubscriber> subscribers;
    private final Duration shutdownGrace;

    private ExecutorEngine(List<JobDefinition> jobs, TickDispatcher dispatcher, Map<String, JobSubscriber> subscribers,
                           Duration shutdownGrace) {
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.subscribers = subscribers;
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * @param executor   runs the Pub/Sub clients and the timeout timers
     * @param runThreads gives each run a thread of its own for the command's whole life
     */
    public static ExecutorEngine start(List<JobDefinition> jobs, PubSubClients clients, ScheduledExecutorService executor,
                                       Executor runThreads, RunHistory history, Options options) {
        long started = System.nanoTime();
        Map<String, String> subscriptionIds = new SubscriptionProvisioner(clients).provision(jobs, options.instanceId());
        long provisioned = System.nanoTime();
        RunTimer timer = RunTimer.on(executor);
        TickDispatcher dispatcher = new TickDispatcher(new ProcessRunner(options.launcher(), options.sink(), timer),
                history, runThreads, timer, Clock.systemUTC());
        Map<String, JobSubscriber> subscribers = new LinkedHashMap<>();
        for (JobDefinition job : jobs) {
            JobSubscriber subscriber = new JobSubscriber(job, subscriptionIds.get(job.name()), clients, dispatcher);
            subscribers.put(job.name(), subscriber);
            if (options.pausedAtStart().contains(job.name())) {
                subscriber.startPaused();
                LOG.info(() -> "Job " + job.name() + " stays paused, as it was before the restart (POST /jobs/"
                        + job.name() + "/resume pulls its ticks again)");
            } else {
                subscriber.start();
            }
        }
        for (JobSubscriber subscriber : subscribers.values()) {
            if (subscriber.paused()) {
                continue;
            }
            try {
                subscriber.awaitRunning(Duration.ofSeconds(30));
            } catch (TimeoutException | IllegalStateException e) {
                LOG.severe("Subscriber of job " + subscriber.job().name() + " did not start: " + e);
            }
        }
        long running = System.nanoTime();
        LOG.info(() -> String.format("%d subscription(s) checked in %d ms; %d subscriber(s) pulling after %d ms more",
                jobs.size(), (provisioned - started) / 1_000_000, subscribers.size(), (running - provisioned) / 1_000_000));
        return new ExecutorEngine(List.copyOf(jobs), dispatcher, Map.copyOf(subscribers), options.shutdownGrace());
    }

    /**
     * Graceful shutdown: new and queued ticks go straight back, pulling stops, running commands get
     * the grace period, then the rest are stopped and their ticks handed back, so another
     * instance takes them at once.
     */
    public void shutdown() {
        dispatcher.beginShutdown();
        subscribers.values().forEach(JobSubscriber::stop);
        try {
            if (dispatcher.runningCount() > 0) {
                LOG.info("Waiting up to " + shutdownGrace + " for " + dispatcher.runningCount() + " running command(s)");
            }
            if (!dispatcher.awaitIdle(shutdownGrace)) {
                LOG.warning("Stopping " + dispatcher.runningCount() + " command(s) still running after the grace period of "
                        + shutdownGrace + "; their ticks are handed back");
                Map<String, Duration> graces = new LinkedHashMap<>();
                jobs.forEach(j -> graces.put(j.name(), j.policy().killGrace()));
                dispatcher.stopAll(graces);
                Duration longest = graces.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
                dispatcher.awaitIdle(longest.plusSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscribers.values().forEach(s -> s.awaitStopped(Duration.ofSeconds(10)));
    }

    public List<JobSubscriber> subscribers() {
        return List.copyOf(subscribers.values());
    }

    public Optional<JobSubscriber> subscriber(String job) {
        return Optional.ofNullable(subscribers.get(job));
    }

    public TickDispatcher dispatcher() {
        return dispatcher;
    }
}
