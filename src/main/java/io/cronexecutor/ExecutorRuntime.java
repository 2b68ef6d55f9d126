package io.cronexecutor;

import io.cronexecutor.api.ApiCredentials;
import io.cronexecutor.job.JobCatalog;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.job.PausedJobs;
import io.cronexecutor.logging.CloudLoggingSettings;
import io.cronexecutor.logging.CloudRunLog;
import io.cronexecutor.logging.ServerLogSink;
import io.cronexecutor.metrics.CloudLoggingMetrics;
import io.cronexecutor.run.OutputSink;
import io.cronexecutor.pubsub.ClientExecutor;
import io.cronexecutor.pubsub.JobSubscriber;
import io.cronexecutor.pubsub.PubSubClients;
import io.cronexecutor.pubsub.PubSubMode;
import io.cronexecutor.pubsub.PubSubSettings;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.pubsub.embedded.EmbeddedPubSubServer;
import io.cronexecutor.job.DurationParser;
import io.cronexecutor.run.ProcessLauncher;
import io.cronexecutor.run.MvRunStore;
import io.cronexecutor.run.RunHistory;
import io.cronexecutor.run.RunStore;
import io.cronexecutor.schedule.CloudSchedulerSync;
import io.cronexecutor.schedule.SchedulerSyncSettings;
import io.cronexecutor.schedule.TickScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import io.cronexecutor.metrics.RunMetrics;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.MetricRegistry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    @Resource
    ManagedScheduledExecutorService executor;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    JobCatalog catalog;

    @Inject
    Config config;

    @Inject
    MetricRegistry metrics;

    private PubSubSettings settings;
    private EmbeddedPubSubServer embeddedBroker;
    private ScheduledExecutorService clientExecutor;
    private PubSubClients clients;
    private TickPublisher publisher;
    private TickScheduler scheduler;
    private RunHistory history;
    private RunStore runStore = RunStore.NONE;
    private PausedJobs pausedJobs = PausedJobs.inMemory();
    private volatile ExecutorEngine engine;
    private volatile boolean started;
    private String instanceId;
    private Duration shutdownGrace;
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
    private volatile String startFailure;
    private boolean schedulerEnabled;
    private Optional<CloudLoggingSettings> cloudLogging = Optional.empty();
    private boolean serverOutput;
    private volatile CloudRunLog cloudRunLog;
    private Optional<SchedulerSyncSettings> schedulerSync = Optional.empty();
    private CloudSchedulerSync cloudSchedulerSync;
    static final Duration CLOUD_LOG_FLUSH_GRACE = Duration.ofSeconds(5);

    void onStart(@Observes Startup event) {
        // The catalog and the service settings are validated here, synchronously, so bad
        // configuration fails the deployment. Connecting is a managed task, which Liberty runs once
        // the application has started; readiness waits for it. (Starting it on a thread of its
        // own instead gained nothing measurable: this event comes at the very end of start-up.)
        List<JobDefinition> jobs = catalog.all();
        try {
            readSettings();
        } catch (IllegalArgumentException e) {
            LOG.severe("Invalid service configuration: " + e.getMessage());
            throw e;
        }
        executor.execute(() -> {
            try {
                start(jobs);
            } catch (RuntimeException e) {
                startFailure = e.toString();
                LOG.log(Level.SEVERE, "Cron Executor could not start; it stays not ready", e);
            }
        });
    }

    private void readSettings() {
        settings = PubSubSettings.resolve(
                config.getOptionalValue("cron.pubsub.project", String.class),
                config.getOptionalValue("cron.pubsub.emulator-host", String.class)
                        .or(() -> config.getOptionalValue("PUBSUB_EMULATOR_HOST", String.class)),
                config.getOptionalValue("cron.pubsub.embedded.host", String.class).orElse("127.0.0.1"),
                setting("cron.pubsub.embedded.port", Integer::parseInt, 0, "a port number"));
        int historySize = setting("cron.history.size", Integer::parseInt, 50, "a whole number of runs, at least 1");
        if (historySize < 1) {
            throw new IllegalArgumentException("cron.history.size = '" + historySize + "': expected a whole number of runs, at least 1");
        }
        cloudLogging = CloudLoggingSettings.resolve(this::optional, optional("cron.pubsub.project"));
        serverOutput = setting("cron.logging.server-output", ExecutorRuntime::strictBoolean, true, "true or false");
        // The Cloud Logging writer starts with the clients; runs cannot end before that.
        RunHistory.Listener toCloudLog = run -> {
            CloudRunLog log = cloudRunLog;
            if (log != null) {
                log.ended(run);
            }
        };
        instanceId = config.getOptionalValue("cron.instance.id", String.class).orElseGet(ExecutorRuntime::hostName);
        shutdownGrace = setting("cron.shutdown.grace", DurationParser::parse, DEFAULT_SHUTDOWN_GRACE,
                "a duration such as 20s or PT1M");
        schedulerSync = SchedulerSyncSettings.resolve(this::optional, optional("cron.pubsub.project"));
        schedulerEnabled = setting("cron.scheduler.enabled", ExecutorRuntime::strictBoolean,
                settings.mode() != PubSubMode.CLOUD && schedulerSync.isEmpty(), "true or false");
        SchedulerSyncSettings.requireOnePublisher(schedulerEnabled, schedulerSync);
        ApiCredentials api = ApiCredentials.of(config.getOptionalValue(ApiCredentials.OPERATOR_KEY, String.class),
                config.getOptionalValue(ApiCredentials.VIEWER_KEY, String.class));
        if (!api.anyConfigured()) {
            LOG.warning("No REST API password is set (" + ApiCredentials.OPERATOR_KEY + ", " + ApiCredentials.VIEWER_KEY
                    + "): every request to /jobs is refused with 401. Jobs still run on their schedules.");
        }
        // Last, once every setting is known to be good: the file stays open (and locked) until stop.
        // Relative to the working directory, which in Liberty is the server's output directory.
        String historyDir = optional("cron.history.dir").orElse("run-history");
        try {
            pausedJobs = historyDir.equals("none") ? PausedJobs.inMemory() : PausedJobs.in(Path.of(historyDir));
            runStore = historyDir.equals("none") ? RunStore.NONE : MvRunStore.open(Path.of(historyDir));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cron.history.dir = '" + historyDir + "': " + e.getMessage()
                    + " (give each server its own directory, or none)", e);
        }
        history = new RunHistory(historySize, new RunMetrics(metrics).and(toCloudLog), runStore);
    }

    /** A setting's value, trimmed; empty when unset or blank. */
    private Optional<String> optional(String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Reads an optional setting, failing with a message that names the key, the value and what was expected. */
    private <T> T setting(String key, java.util.function.Function<String, T> parser, T fallback, String expected) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return parser.apply(raw.get());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " = '" + raw.get() + "': expected " + expected, e);
        }
    }

    private static boolean strictBoolean(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(value);
    }

    synchronized void start(List<JobDefinition> jobs) {
        clients = connect(settings);
        publisher = new TickPublisher(clients);
        ProcessLauncher launcher = ProcessLauncher.detect();
        OutputSink sink = serverOutput ? new ServerLogSink() : OutputSink.NONE;
        if (cloudLogging.isPresent()) {
            CloudLoggingSettings logging = cloudLogging.get();
            cloudRunLog = CloudRunLog.start(logging, instanceId, clientExecutor, threads, new CloudLoggingMetrics(metrics));
            sink = serverOutput ? sink.and(cloudRunLog) : cloudRunLog;
            LOG.info(() -> "Run output and results go to Cloud Logging: log " + logging.logName() + " in project "
                    + logging.project() + logging.emulatorHost().map(h -> " (through " + h + ")").orElse("")
                    + (serverOutput ? ", and to this log" : " only"));
        }
        engine = ExecutorEngine.start(jobs, clients, executor, task -> threads.newThread(task).start(), history,
                new ExecutorEngine.Options(instanceId, shutdownGrace, launcher, sink, pausedJobs.all()));

        boolean schedule = schedulerEnabled;
        if (schedule && settings.mode() != PubSubMode.EMBEDDED) {
            LOG.warning("The embedded scheduler of this instance publishes the jobs' ticks to a shared " + settings.mode()
                    + " Pub/Sub: it must be on in only one instance (cron.scheduler.enabled=false in the others),"
                    + " or each tick is published, and run, once per instance");
        }
        if (schedule) {
            scheduler = new TickScheduler(executor, publisher, Clock.systemUTC());
            scheduler.start(jobs);
        }
        if (schedulerSync.isPresent()) {
            cloudSchedulerSync = new CloudSchedulerSync(schedulerSync.get(), settings.project(), clientExecutor);
            cloudSchedulerSync.start(jobs);
            LOG.info(() -> "Cloud Scheduler jobs in " + schedulerSync.get().parent() + " are kept in line with the schedules"
                    + " (checked every " + schedulerSync.get().interval() + ")");
        }
        started = true;
        LOG.info(() -> "Cron Executor started in " + settings.mode() + " mode (project " + settings.project() + ") with "
                + jobs.size() + " job(s)" + (schedule ? "; embedded scheduler on" : "; ticks come from outside (Cloud Scheduler)")
                + "; commands start through " + launcher.description());
    }

    private PubSubClients connect(PubSubSettings settings) {
        clientExecutor = ClientExecutor.create(threads);
        return switch (settings.mode()) {
            case EMBEDDED -> {
                // Relative to the working directory, which in Liberty is the server's output directory.
                // "none" rather than an empty value, since MicroProfile Config reads an empty value as unset.
                String dataDir = config.getOptionalValue("cron.pubsub.embedded.data-dir", String.class).orElse("pubsub-data");
                embeddedBroker = EmbeddedPubSubServer.start(settings.embeddedHost(), settings.embeddedPort(),
                        EmbeddedPubSubServer.daemonThreads(), dataDir.equals("none") ? null : Path.of(dataDir));
                yield PubSubClients.local(settings.project(), settings.embeddedHost() + ":" + embeddedBroker.port(), clientExecutor);
            }
            case EMULATOR -> PubSubClients.local(settings.project(), settings.endpoint().orElseThrow(), clientExecutor);
            case CLOUD -> PubSubClients.cloud(settings.project(), clientExecutor);
        };
    }

    /** Stops publishing ticks, then shuts the engine down gracefully (see {@link ExecutorEngine#shutdown()}). */
    @PreDestroy
    synchronized void stop() {
        started = false;
        if (scheduler != null) {
            scheduler.stop();
        }
        if (cloudSchedulerSync != null) {
            cloudSchedulerSync.close();
        }
        if (engine != null) {
            engine.shutdown();
        }
        // After the engine, which records the runs it stopped.
        runStore.close();
        if (cloudRunLog != null) {
            // After the engine, so the outcomes of runs stopped by the shutdown are logged too.
            cloudRunLog.close(CLOUD_LOG_FLUSH_GRACE);
        }
        if (publisher != null) {
            publisher.close();
        }
        if (clients != null) {
            clients.close();
        }
        if (clientExecutor != null) {
            stopClientExecutor();
        }
        if (embeddedBroker != null) {
            embeddedBroker.close();
        }
        LOG.info("Cron Executor stopped");
    }

    /** Last, since the engine's graceful shutdown sends its final acks and nacks through the clients. */
    private void stopClientExecutor() {
        clientExecutor.shutdown();
        try {
            if (!clientExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                clientExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            clientExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "instance-" + ProcessHandle.current().pid();
        }
    }

    /** Pauses the job here and remembers it across restarts; false if it was paused already. */
    public boolean pause(String job) {
        boolean changed = subscriber(job).map(JobSubscriber::pause).orElse(false);
        pausedJobs.set(job, true);
        return changed;
    }

    public boolean resume(String job) {
        boolean changed = subscriber(job).map(JobSubscriber::resume).orElse(false);
        pausedJobs.set(job, false);
        return changed;
    }

    public boolean cancel(JobDefinition job, String runId) {
        return engine != null && engine.dispatcher().cancel(job, runId);
    }

    public int running(String job) {
        return engine == null ? 0 : engine.dispatcher().runningCount(job);
    }

    public String instanceId() {
        return instanceId;
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
        return engine == null ? Optional.empty() : engine.subscriber(job);
    }

    public List<JobSubscriber> subscribers() {
        return engine == null ? List.of() : engine.subscribers();
    }

    public PubSubSettings settings() {
        return settings;
    }
}
