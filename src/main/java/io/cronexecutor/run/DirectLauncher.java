package io.cronexecutor.run;

import java.io.IOException;

/**
 * Starts the command as a plain child of the JVM. Its tree is found through the JVM's view of
 * descendants, so a process that detached itself escapes, and a JVM killed with SIGKILL leaves
 * the command running. Used only where util-linux is missing.
 */
public final class DirectLauncher implements ProcessLauncher {

    @Override
    public String description() {
        return "plain child processes, unsupervised";
    }

    @Override
    public CommandProcess start(LaunchSpec spec) throws IOException {
        return StartedProcess.start(spec.argv(), spec,
                process -> {
                    process.descendants().forEach(ProcessHandle::destroy);
                    process.destroy();
                },
                process -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                });
    }
}
