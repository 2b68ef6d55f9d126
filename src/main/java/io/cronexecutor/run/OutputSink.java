package io.cronexecutor.run;

/** Where each line a command prints goes as it is printed (the server log, Cloud Logging). */
@FunctionalInterface
public interface OutputSink {

    /** Lines go nowhere but the run's own output tail. */
    OutputSink NONE = (job, runId, line) -> { };

    void line(String job, String runId, String line);

    /** This sink, then {@code other}. */
    default OutputSink and(OutputSink other) {
        return (job, runId, line) -> {
            line(job, runId, line);
            other.line(job, runId, line);
        };
    }
}
