package io.cronexecutor.run;

import java.io.IOException;
import java.util.List;

/** Starts an operating-system process; a seam so run policies are tested without spawning. */
@FunctionalInterface
public interface ProcessLauncher {

    ProcessLauncher SYSTEM = argv -> new ProcessBuilder(argv).redirectErrorStream(true).start();

    /** Starts argv directly, without a shell, with stderr merged into stdout. */
    Process start(List<String> argv) throws IOException;
}
