package io.cronexecutor.run;

import java.io.IOException;
import java.util.logging.Logger;

/** Starts a command; a seam so run policies are tested without spawning. */
@FunctionalInterface
public interface ProcessLauncher {

    CommandProcess start(LaunchSpec spec) throws IOException;

    /** How commands start, for the start-up log. */
    default String description() {
        return getClass().getSimpleName();
    }

    /**
     * The best launcher this machine allows, saying in the log what it gave up and why:
     * posix_spawn into a new session (one exec per run); else setsid(1), with the same
     * guarantees for two more execs per run; else a plain child of the JVM, which cannot promise
     * that no command outlives the service.
     */
    static ProcessLauncher detect() {
        Logger log = Logger.getLogger(ProcessLauncher.class.getName());
        if (NativeSessionLauncher.available()) {
            return new NativeSessionLauncher();
        }
        String why = PosixSpawn.problem().orElse("/bin/sh is missing");
        if (SupervisedLauncher.available()) {
            log.info(() -> "Native process spawning unavailable (" + why + "); starting commands through setsid(1)");
            return new SupervisedLauncher();
        }
        log.warning(() -> "Native process spawning unavailable (" + why + ") and setsid (util-linux) not found:"
                + " commands run unsupervised, so a command that detaches, or outlives a JVM killed with SIGKILL,"
                + " can keep running");
        return new DirectLauncher();
    }
}
