package io.cronexecutor.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts each command under a small /bin/sh supervisor that puts the command in a process group
 * of its own (setsid) and owns that group:
 * <ul>
 *   <li>SIGTERM to the supervisor is forwarded to the whole group (a timeout's polite stop);</li>
 *   <li>SIGUSR1 kills the whole group with SIGKILL; it is also the supervisor's parent-death
 *       signal (setpriv --pdeathsig), so if the JVM dies, even by SIGKILL, the command's whole
 *       tree dies with it and nothing from a previous life keeps running;</li>
 *   <li>when the command exits, whatever it left running in its group is killed.</li>
 * </ul>
 * The parent-death signal fires when the thread that started the process ends, so the thread
 * that calls {@link #start} must be the one that waits for the command (as the dispatcher's run
 * threads do).
 */
public final class SupervisedLauncher implements ProcessLauncher {

    static final String SETPRIV = "/usr/bin/setpriv";
    static final String SETSID = "/usr/bin/setsid";

    // fd 3 carries the real stdin past the shell, which gives background jobs /dev/null.
    // `kill -0` succeeds on a zombie, so the loop waits again until the command is reaped.
    static final String SUPERVISOR = String.join("\n",
            "exec 3<&0 0</dev/null",
            "pid=",
            "trap '[ -n \"$pid\" ] && kill -TERM -\"$pid\" 2>/dev/null' TERM",
            "trap '[ -n \"$pid\" ] && kill -KILL -\"$pid\" 2>/dev/null; exit 137' USR1",
            SETSID + " \"$@\" <&3 3<&- &",
            "pid=$!",
            "exec 3<&-",
            "while :; do",
            "  wait \"$pid\"; status=$?",
            "  kill -0 \"$pid\" 2>/dev/null || break",
            "done",
            "kill -KILL -\"$pid\" 2>/dev/null",
            "exit \"$status\"");

    static boolean available() {
        return Files.isExecutable(Path.of(SETPRIV)) && Files.isExecutable(Path.of(SETSID))
                && Files.isExecutable(Path.of("/bin/sh"));
    }

    @Override
    public CommandProcess start(LaunchSpec spec) throws IOException {
        requireExecutable(spec);
        List<String> argv = new ArrayList<>(List.of(SETPRIV, "--pdeathsig", "USR1", "--", "/bin/sh", "-c", SUPERVISOR, "cron-run"));
        argv.addAll(spec.argv());
        return StartedProcess.start(argv, spec,
                Process::destroy, // SIGTERM, which the supervisor forwards to the command's group
                supervisor -> signal(supervisor, "USR1"));
    }

    /**
     * The supervisor would start fine and only then fail to exec the command, so the usual
     * "cannot run program" error is raised up front for a command that is not there.
     */
    private static void requireExecutable(LaunchSpec spec) throws IOException {
        String program = spec.argv().get(0);
        if (program.contains("/")) {
            Path path = spec.workingDir().map(dir -> dir.resolve(program)).orElse(Path.of(program));
            if (!Files.isExecutable(path)) {
                throw new IOException("Cannot run program \"" + program + "\": "
                        + (Files.exists(path) ? "not executable" : "no such file"));
            }
            return;
        }
        String pathVariable = spec.environment().getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
        for (String dir : pathVariable.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        throw new IOException("Cannot run program \"" + program + "\": not found on PATH");
    }

    private static void signal(Process supervisor, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(supervisor.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            supervisor.destroyForcibly();
        } catch (InterruptedException e) {
            supervisor.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
