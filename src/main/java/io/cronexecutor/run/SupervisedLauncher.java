package io.cronexecutor.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts each command as the leader of a session and process group of its own ({@code setsid},
 * util-linux), registered with this JVM's {@link GroupReaper}:
 * <ul>
 *   <li>a timeout or cancel sends SIGTERM to the whole group, SIGKILL after the grace period;</li>
 *   <li>when the command exits, whatever it left running in its group is killed;</li>
 *   <li>if the JVM dies, even by SIGKILL, the reaper kills every registered group, so nothing
 *       from a previous life keeps running.</li>
 * </ul>
 * A command that leaves its group on purpose (calls setsid itself) escapes, as it would escape
 * any supervisor short of a cgroup. Between the start of a command and its registration (one
 * pipe write right after the spawn returns) a JVM crash would leave it running.
 */
public final class SupervisedLauncher implements ProcessLauncher {

    static final String SETSID = "/usr/bin/setsid";

    private final GroupReaper reaper = new GroupReaper();

    /**
     * Starts the reaper now rather than at the first command: a command is protected from the
     * moment its group is registered, and spawning the reaper then would widen that gap from
     * microseconds to milliseconds.
     */
    public SupervisedLauncher() {
        reaper.start();
    }

    static boolean available() {
        return Files.isExecutable(Path.of(SETSID)) && Files.isExecutable(Path.of("/bin/sh"));
    }

    @Override
    public String description() {
        return "setsid(1), each in a session of its own";
    }

    @Override
    public CommandProcess start(LaunchSpec spec) throws IOException {
        // setsid would start fine and only then fail to exec a missing command: say so up front.
        ProgramResolver.resolve(spec);
        List<String> argv = new ArrayList<>();
        argv.add(SETSID); // the JVM's child is never a group leader, so setsid execs in place: pid == pgid
        argv.addAll(spec.argv());
        long[] group = new long[1];
        StartedProcess started = StartedProcess.start(argv, spec,
                process -> reaper.terminate(group[0]),
                process -> reaper.kill(group[0]),
                process -> reaper.end(group[0]));
        group[0] = started.pid();
        reaper.add(group[0]);
        return started;
    }

    /** For tests: the pid of this launcher's reaper. */
    long reaperPid() throws IOException {
        return reaper.pid();
    }
}
