package io.cronexecutor;

import io.cronexecutor.job.JobCatalog;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.logging.ServerLogSink;
import io.cronexecutor.pubsub.JobSubscriber;
import io.cronexecutor.pubsub.PubSubClients;
import io.cronexecutor.pubsub.PubSubMode;
import io.cronexecutor.pubsub.PubSubSettings;
import io.cronexecutor.pubsub.SubscriptionProvisioner;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.pubsub.embedded.EmbeddedPubSubServer;
import io.cronexecutor.run.ProcessLauncher;
import io.cronexecutor.run.ProcessRunner;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.TickDispatcher;
import io.cronexecutor.schedule.TickScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts and stops everything at application start and stop: the embedded broker when no
 * Pub/Sub is configured, the topics and subscriptions, one subscriber per job and the embedded
 * scheduler.
 */
@ApplicationScoped
public class ExecutorRuntime {

    private static final Logger LOG = Logger.getLogger(ExecutorRuntime.class.getName());
    private static final int OUTPUT_TAIL_CHARS = 64 * 1024;

    @Resource
    ManagedScheduledExecutorService executor;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    JobCatalog catalog;

    @Inject
    Config config;

    private PubSubSettings settings;
    private EmbeddedPubSubServer embeddedBroker;
    private PubSubClients clients;
    private TickPublisher publisher;
    private TickScheduler scheduler;
    private RunHistory history;
    private volatile Map<String, JobSubscriber> subscribers = Map.of();
    private volatile boolean started;
    private volatile String startFailure;

    void onStart(@Observes Startup event) {
        // The catalog is validated here, synchronously, so a bad job definition fails the
        // deployment. Connecting waits for the managed executor: Liberty defers managed tasks until
        // the application has started, and the Pub/Sub client runs on those same executors, so a
        // blocking start-up here would wait on itself.
        List<JobDefinition> jobs = catalog.all();
        executor.execute(() -> {
            try {
                start(jobs);
            } catch (RuntimeException e) {
                startFailure = e.toString();
                LOG.log(Level.SEVERE, "Cron Executor could not start; it stays not ready", e);
            }
        });
    }

    synchronized void start(List<JobDefinition> jobs) {
        settings = PubSubSettings.resolve(
                config.getOptionalValue("cron.pubsub.project", String.class),
                config.getOptionalValue("cron.pubsub.emulator-host", String.class)
                        .or(() -> config.getOptionalValue("PUBSUB_EMULATOR_HOST", String.class)),
                config.getOptionalValue("cron.pubsub.embedded.host", String.class).orElse("127.0.0.1"),
                config.getOptionalValue("cron.pubsub.embedded.port", Integer.class).orElse(0));
        history = new RunHistory(config.getOptionalValue("cron.history.size", Integer.class).orElse(50));

        clients = connect(settings);
        publisher = new TickPublisher(clients);
        new SubscriptionProvisioner(clients).provision(jobs);

        TickDispatcher dispatcher = new TickDispatcher(
                new ProcessRunner(ProcessLauncher.SYSTEM, new ServerLogSink(), OUTPUT_TAIL_CHARS),
                history, threads, Clock.systemUTC());
        Map<String, JobSubscriber> byJob = new LinkedHashMap<>();
        for (JobDefinition job : jobs) {
            JobSubscriber subscriber = new JobSubscriber(job, clients, dispatcher);
            byJob.put(job.name(), subscriber);
            subscriber.start();
        }
        subscribers = byJob;
        for (JobSubscriber subscriber : subscribers.values()) {
            try {
                subscriber.awaitRunning(Duration.ofSeconds(30));
            } catch (TimeoutException | IllegalStateException e) {
                LOG.severe("Subscriber of job " + subscriber.job().name() + " did not start: " + e);
            }
        }

        boolean schedule = config.getOptionalValue("cron.scheduler.enabled", Boolean.class)
                .orElse(settings.mode() != PubSubMode.CLOUD);
        if (schedule) {
            scheduler = new TickScheduler(executor, publisher, Clock.systemUTC());
            scheduler.start(jobs);
        }
        started = true;
        LOG.info(() -> "Cron Executor started in " + settings.mode() + " mode (project " + settings.project() + ") with "
                + jobs.size() + " job(s)" + (schedule ? "; embedded scheduler on" : "; ticks come from outside (Cloud Scheduler)"));
    }

    private PubSubClients connect(PubSubSettings settings) {
        return switch (settings.mode()) {
            case EMBEDDED -> {
                // Relative to the working directory, which in Liberty is the server's output directory.
                // "none" rather than an empty value, since MicroProfile Config reads an empty value as unset.
                String dataDir = config.getOptionalValue("cron.pubsub.embedded.data-dir", String.class).orElse("pubsub-data");
                embeddedBroker = EmbeddedPubSubServer.start(settings.embeddedHost(), settings.embeddedPort(),
                        EmbeddedPubSubServer.daemonThreads(), dataDir.equals("none") ? null : Path.of(dataDir));
                yield PubSubClients.local(settings.project(), settings.embeddedHost() + ":" + embeddedBroker.port(), executor);
            }
            case EMULATOR -> PubSubClients.local(settings.project(), settings.endpoint().orElseThrow(), executor);
            case CLOUD -> PubSubClients.cloud(settings.project(), executor);
        };
    }

    @PreDestroy
    synchronized void stop() {
        started = false;
        if (scheduler != null) {
            scheduler.stop();
        }
        subscribers.values().forEach(JobSubscriber::stop);
        subscribers.values().forEach(s -> s.awaitStopped(Duration.ofSeconds(10)));
        if (publisher != null) {
            publisher.close();
        }
        if (clients != null) {
            clients.close();
        }
        if (embeddedBroker != null) {
            embeddedBroker.close();
        }
        LOG.info("Cron Executor stopped");
    }

    public boolean started() {
        return started;
    }

    /** Why start-up failed, if it did. */
    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    public RunHistory history() {
        return history;
    }

    public TickPublisher publisher() {
        return publisher;
    }

    public Optional<JobSubscriber> subscriber(String job) {
        return Optional.ofNullable(subscribers.get(job));
    }

    public List<JobSubscriber> subscribers() {
        return List.copyOf(subscribers.values());
    }

    public PubSubSettings settings() {
        return settings;
    }

    public Optional<Integer> embeddedBrokerPort() {
        return Optional.ofNullable(embeddedBroker).map(EmbeddedPubSubServer::port);
    }
}
