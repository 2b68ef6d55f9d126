package io.cronexecutor.run;

import java.io.IOException;

/** Starts a command; a seam so run policies are tested without spawning. */
@FunctionalInterface
public interface ProcessLauncher {

    CommandProcess start(LaunchSpec spec) throws IOException;

    /**
     * The supervised launcher where setsid exists (util-linux), so no command outlives
     * the service; otherwise the direct one, which cannot promise that.
     */
    static ProcessLauncher detect() {
        return SupervisedLauncher.available() ? new SupervisedLauncher() : new DirectLauncher();
    }
}
