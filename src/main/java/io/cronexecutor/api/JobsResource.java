package io.cronexecutor.api;

import io.cronexecutor.ExecutorRuntime;
import io.cronexecutor.job.JobCatalog;
import io.cronexecutor.job.JobDefinition;
import io.cronexecutor.pubsub.JobSubscriber;
import io.cronexecutor.pubsub.TickPublishException;
import io.cronexecutor.pubsub.TickPublisher;
import io.cronexecutor.run.RunRecord;
import io.cronexecutor.run.RunState;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Job status, run history and manual triggers. */
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = RestApplication.SIGN_IN)
@RequestScoped
public class JobsResource {

    @Inject
    JobCatalog catalog;

    @Inject
    ExecutorRuntime runtime;

    @GET
    public List<JobView> list() {
        return catalog.all().stream().map(this::view).toList();
    }

    @GET
    @Path("{name}")
    public JobView get(@PathParam("name") String name) {
        return view(job(name));
    }

    @GET
    @Path("{name}/runs")
    public List<RunRecord> runs(@PathParam("name") String name) {
        return runtime.history().runs(job(name).name());
    }

    @GET
    @Path("{name}/runs/{id}")
    public RunRecord run(@PathParam("name") String name, @PathParam("id") String id) {
        JobDefinition job = job(name);
        return runtime.history().find(job.name(), id)
                .orElseThrow(() -> new ApiException(Response.Status.NOT_FOUND,
                        "job '" + name + "' has no run '" + id + "' on this instance"));
    }

    /**
     * Publishes a manual tick; whichever instance receives it runs the command. An optional JSON
     * body gives the command data on stdin and attributes as variables (see {@link ManualTick}).
     */
    @POST
    @Path("{name}/runs")
    public Response trigger(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                            @RequestBody(required = false, description = "data for the command's stdin, attributes as CRON_ATTR_ variables",
                                    content = @Content(mediaType = MediaType.APPLICATION_JSON, example = ManualTick.EXAMPLE))
                            InputStream body, @Context UriInfo uri) {
        JobDefinition job = job(name);
        ManualTick manual = manualTick(contentType, body);
        TickPublisher.PublishedTick tick;
        try {
            tick = runtime.publisher().publish(job, "manual", manual.attributes(), manual.data());
        } catch (TickPublishException e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
        RunRecord published = RunRecord.started(tick.tickId(), job.name(), "manual", tick.messageId(), 0,
                RunState.PUBLISHED, Instant.now());
        // The subscriber may already have picked the tick up; never overwrite a run that started.
        return Response.accepted(runtime.history().recordIfAbsent(published))
                .location(uri.getBaseUriBuilder().path("jobs").path(job.name()).path("runs").path(tick.tickId()).build())
                .build();
    }

    /** Stops pulling the job's ticks on this instance; they wait in the subscription (or go to other instances). */
    @POST
    @Path("{name}/pause")
    public JobView pause(@PathParam("name") String name) {
        JobDefinition job = job(name);
        runtime.pause(job.name());
        return view(job);
    }

    @POST
    @Path("{name}/resume")
    public JobView resume(@PathParam("name") String name) {
        JobDefinition job = job(name);
        runtime.resume(job.name());
        return view(job);
    }

    /** Cancels a running run (its process tree is terminated) or a queued one; the tick is acked. */
    @DELETE
    @Path("{name}/runs/{id}")
    public Response cancel(@PathParam("name") String name, @PathParam("id") String id) {
        JobDefinition job = job(name);
        if (runtime.cancel(job, id)) {
            return Response.accepted(runtime.history().find(job.name(), id).orElse(null)).build();
        }
        RunRecord known = runtime.history().find(job.name(), id)
                .orElseThrow(() -> new ApiException(Response.Status.NOT_FOUND,
                        "job '" + name + "' has no run '" + id + "' on this instance"));
        throw new ApiException(Response.Status.CONFLICT, "run '" + id + "' of job '" + name + "' is " + known.state()
                + " on this instance; only a RUNNING or QUEUED run can be cancelled");
    }

    private static ManualTick manualTick(String contentType, InputStream body) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(ManualTick.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ApiException(Response.Status.BAD_REQUEST, "request body could not be read: " + e.getMessage());
        }
        if (bytes.length > ManualTick.MAX_BODY_BYTES) {
            throw new ApiException(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "request body: at most " + ManualTick.MAX_BODY_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return ManualTick.none();
        }
        if (!isJson(contentType)) {
            throw new ApiException(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "request body: expected Content-Type application/json, got " + (contentType == null ? "none" : contentType));
        }
        try {
            return ManualTick.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(Response.Status.BAD_REQUEST, e.getMessage());
        }
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private JobDefinition job(String name) {
        return catalog.find(name).orElseThrow(() -> ApiException.noSuchJob(name));
    }

    private JobView view(JobDefinition job) {
        var subscriber = runtime.subscriber(job.name());
        return JobView.of(job, subscriber.map(JobSubscriber::subscriptionId).orElse(job.subscription()),
                subscriber.map(JobSubscriber::state).orElse("NOT_STARTED"),
                subscriber.map(JobSubscriber::paused).orElse(false),
                runtime.running(job.name()), runtime.history().latest(job.name()).orElse(null));
    }
}
