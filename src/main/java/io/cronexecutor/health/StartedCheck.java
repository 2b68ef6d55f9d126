package io.cronexecutor.health;

import io.cronexecutor.ExecutorRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the catalog is loaded, the broker connected and the subscribers launched. */
@Startup
@ApplicationScoped
public class StartedCheck implements HealthCheck {

    @Inject
    ExecutorRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("started")
                .status(runtime.started())
                .withData("mode", runtime.settings() == null ? "unknown" : runtime.settings().mode().name())
                .withData("failure", runtime.startFailure().orElse("none"))
                .build();
    }
}
