package io.cronexecutor.job;

import java.util.Optional;

/** The slice of MicroProfile Config the catalog reads; a seam so validation is tested without a container. */
public interface ConfigView {

    Optional<String> get(String key);

    /** Every property name the configuration knows, used to report unknown job keys. */
    Iterable<String> names();
}
