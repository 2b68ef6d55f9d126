package io.cronexecutor.logging;

import io.cronexecutor.run.OutputSink;

import java.util.logging.Logger;

/** Writes each output line to the server log, tagged with its job and run so runs can be told apart. */
public final class ServerLogSink implements OutputSink {

    private static final Logger LOG = Logger.getLogger("io.cronexecutor.output");

    @Override
    public void line(String job, String runId, String line) {
        LOG.info(() -> "[" + job + " " + runId + "] " + line);
    }
}
