package io.cronexecutor.pubsub;

import java.util.Optional;

/**
 * How this instance reaches Pub/Sub.
 *
 * @param mode         embedded broker, emulator or Cloud Pub/Sub
 * @param project      the project the topics and subscriptions live in
 * @param endpoint     host:port for the emulator; empty for Cloud and for the embedded broker (known only once it listens)
 * @param embeddedHost the interface the embedded broker binds to
 * @param embeddedPort the embedded broker's port; 0 picks a free one
 */
public record PubSubSettings(PubSubMode mode, String project, Optional<String> endpoint,
                             String embeddedHost, int embeddedPort) {

    public static final String DEFAULT_LOCAL_PROJECT = "cron-executor";

    /**
     * Chooses the mode: an emulator host wins (it is how every Google client is pointed at one),
     * then a configured project means Cloud Pub/Sub, and nothing configured means embedded.
     */
    public static PubSubSettings resolve(Optional<String> project, Optional<String> emulatorHost,
                                         String embeddedHost, int embeddedPort) {
        Optional<String> emulator = emulatorHost.map(String::trim).filter(h -> !h.isEmpty());
        Optional<String> configuredProject = project.map(String::trim).filter(p -> !p.isEmpty());
        if (emulator.isPresent()) {
            return new PubSubSettings(PubSubMode.EMULATOR, configuredProject.orElse(DEFAULT_LOCAL_PROJECT),
                    emulator, embeddedHost, embeddedPort);
        }
        if (configuredProject.isPresent()) {
            return new PubSubSettings(PubSubMode.CLOUD, configuredProject.get(), Optional.empty(),
                    embeddedHost, embeddedPort);
        }
        if (embeddedPort < 0 || embeddedPort > 65535) {
            throw new IllegalArgumentException("cron.pubsub.embedded.port = '" + embeddedPort
                    + "': expected a port from 0 (any free port) to 65535");
        }
        return new PubSubSettings(PubSubMode.EMBEDDED, DEFAULT_LOCAL_PROJECT, Optional.empty(),
                embeddedHost, embeddedPort);
    }
}
