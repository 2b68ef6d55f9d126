package io.cronexecutor.run;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;

/**
 * Starts the command as a plain child of the JVM. Its tree is found through the JVM's view of
 * descendants, so a process that detached itself escapes, and a JVM killed with SIGKILL leaves
 * the command running. Used only where util-linux is missing.
 */
public final class DirectLauncher implements ProcessLauncher {

    @Override
    public CommandProcess start(LaunchSpec spec) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(spec.argv()).redirectErrorStream(true);
        spec.workingDir().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().putAll(spec.environment());
        builder.redirectInput(spec.stdin().map(p -> ProcessBuilder.Redirect.from(p.toFile()))
                .orElse(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        Process process = builder.start();
        return new CommandProcess() {
            @Override
            public long pid() {
                return process.pid();
            }

            @Override
            public InputStream output() {
                return process.getInputStream();
            }

            @Override
            public int waitFor() throws InterruptedException {
                return process.waitFor();
            }

            @Override
            public void terminate() {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }

            @Override
            public void kill() {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        };
    }
}
