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
    private final Consumer<Process> exited;

    private StartedProcess(Process process, Consumer<Process> terminate, Consumer<Process> kill,
                           Consumer<Process> exited) {
        this.process = process;
        this.terminate = terminate;
        this.kill = kill;
        this.exited = exited;
    }

    /** Starts argv with the spec's directory, environment and stdin, stderr merged into stdout. */
    static StartedProcess start(List<String> argv, LaunchSpec spec, Consumer<Process> terminate,
                                Consumer<Process> kill) throws IOException {
        return start(argv, spec, terminate, kill, process -> { });
    }

    /** As above; {@code exited} runs once the process has exited and been waited for. */
    static StartedProcess start(List<String> argv, LaunchSpec spec, Consumer<Process> terminate,
                                Consumer<Process> kill, Consumer<Process> exited) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        spec.workingDir().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().putAll(spec.environment());
        builder.redirectInput(spec.stdin().map(p -> ProcessBuilder.Redirect.from(p.toFile()))
                .orElse(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        return new StartedProcess(builder.start(), terminate, kill, exited);
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
        int exit = process.waitFor();
        exited.accept(process);
        return exit;
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
