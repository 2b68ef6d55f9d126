package io.cronexecutor.run;

import java.io.InputStream;

/** A started command and its whole process tree. */
public interface CommandProcess {

    long pid();

    /** Combined stdout and stderr. */
    InputStream output();

    int waitFor() throws InterruptedException;

    /** Asks the whole tree to stop (SIGTERM to every process of the command). */
    void terminate();

    /** Stops the whole tree at once (SIGKILL to every process of the command). */
    void kill();
}
