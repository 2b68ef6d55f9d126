package io.cronexecutor.api;

import jakarta.ws.rs.core.Response;

/** A request that cannot be served, with the status that says why and a message naming what was wrong. */
public class ApiException extends RuntimeException {

    private final Response.Status status;

    public ApiException(Response.Status status, String message) {
        super(message);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }

    public static ApiException noSuchJob(String name) {
        return new ApiException(Response.Status.NOT_FOUND, "no job named '" + name + "'");
    }
}
