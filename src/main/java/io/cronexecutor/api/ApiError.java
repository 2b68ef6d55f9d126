package io.cronexecutor.api;

/** The JSON body of every error answer. */
public record ApiError(int status, String error, String message) {
}
