package io.cronexecutor.pubsub;

/** The broker did not accept a tick. */
public class TickPublishException extends RuntimeException {

    public TickPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
