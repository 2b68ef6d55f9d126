package io.cronexecutor.run;

/** Runs one command to completion on the calling thread; a seam so dispatch policies are tested without processes. */
@FunctionalInterface
public interface CommandRunner {

    ProcessOutcome run(RunRequest request, RunControl control);
}
