package io.cronexecutor.run;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/** A {@link CommandProcess} over a JVM {@link Process}, stopped the way its launcher says. */
final class StartedProcess implements CommandProcess {

    private final Process process;
    private final Consumer<Process> terminate;
    private final Consumer<Process> kill;

    private StartedProcess(Process process, Consumer<Process> terminate,
                           Consumer<Process> kill) {
        this.process = process;
        this.terminate = terminate;
        this.kill = kill;
    }

    /** Starts argv with the spec's directory, environment and stdin, stderr merged into stdout. */
    static StartedProcess start(List<String> argv, LaunchSpec spec, Consumer<Process> terminate,
                                Consumer<Process> kill) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        spec.workingDir().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().putAll(spec.environment());
        builder.redirectInput(spec.stdin().map(p -> ProcessBuilder.Redirect.from(p.toFile()))
                .orElse(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        return new StartedProcess(builder.start(), terminate, kill);
    }

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
        terminate.accept(process);
    }

    @Override
    public void kill() {
        kill.accept(process);
    }
}
