package io.cronexecutor.health;

import io.cronexecutor.ExecutorRuntime;
import io.cronexecutor.pubsub.JobSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every job's subscriber is pulling: an instance that cannot receive ticks is not serving. */
@Readiness
@ApplicationScoped
public class SubscribersReadyCheck implements HealthCheck {

    @Inject
    ExecutorRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("subscribers");
        boolean up = runtime.started();
        for (JobSubscriber subscriber : runtime.subscribers()) {
            response.withData(subscriber.job().name(), subscriber.state());
            up &= subscriber.healthy(); // a paused job is as its operator wants it
        }
        return response.status(up).build();
    }
}
