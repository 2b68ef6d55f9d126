package io.cronexecutor.job;

import org.eclipse.microprofile.config.Config;

import java.util.Optional;

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

    @Override
    public Iterable<String> names() {
        return config.getPropertyNames();
    }
}
