package io.cronexecutor.run;

/** Where each line a command prints goes as it is printed (the server log, Cloud Logging). */
@FunctionalInterface
public interface OutputSink {

    void line(String job, String runId, String line);
}
