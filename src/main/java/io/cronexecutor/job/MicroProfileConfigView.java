package io.cronexecutor.job;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads the job keys through MicroProfile Config, so env vars such as JOBS_BACKUP_COMMAND apply. */
public final class MicroProfileConfigView implements ConfigView {

    private final Config config;

    public MicroProfileConfigView(Config config) {
        this.config = config;
    }

    @Override
    public Optional<String> get(String key) {
        return config.getOptionalValue(key, String.class);
    }

    /**
     * The names each source holds, as that source spells them. The merged view is not used
     * because some implementations report an environment variable such as JOBS_A_KILL_GRACE
     * under a guessed dotted name (jobs.a.kill.grace) that no one wrote.
     */
    @Override
    public Iterable<String> names() {
        Set<String> names = new TreeSet<>();
        for (ConfigSource source : config.getConfigSources()) {
            names.addAll(source.getPropertyNames());
        }
        return names;
    }
}
