package io.cronexecutor.job;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/** The validated jobs of this instance, read once from MicroProfile Config at start-up. */
@ApplicationScoped
public class JobCatalog {

    private static final Logger LOG = Logger.getLogger(JobCatalog.class.getName());

    @Inject
    Config config;

    private Map<String, JobDefinition> jobs = Map.of();

    @PostConstruct
    void load() {
        Map<String, JobDefinition> byName = new LinkedHashMap<>();
        JobCatalogLoader.Result result;
        try {
            result = JobCatalogLoader.load(new MicroProfileConfigView(config));
        } catch (JobConfigException e) {
            // Logged on its own so the operator reads it first, not deep in the container's stack trace.
            LOG.severe(e.getMessage());
            throw e;
        }
        result.warnings().forEach(LOG::warning);
        for (JobDefinition job : result.jobs()) {
            byName.put(job.name(), job);
        }
        jobs = byName;
    }

    public List<JobDefinition> all() {
        return List.copyOf(jobs.values());
    }

    public Optional<JobDefinition> find(String name) {
        return Optional.ofNullable(jobs.get(name));
    }
}
