package io.cronexecutor.logging;

/** A write to the logging backend failed; {@link #retryable()} says whether trying again may help. */
public final class LogWriteException extends Exception {

    private final boolean retryable;

    public LogWriteException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
