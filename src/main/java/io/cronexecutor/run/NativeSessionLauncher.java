package io.cronexecutor.run;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts each command with posix_spawn as the leader of a session and process group of its own,
 * with the same guarantees as {@link SupervisedLauncher} (the group is stopped as a whole, what a
 * command leaves behind is killed when it exits, and the {@link GroupReaper} kills every group if
 * the JVM dies) for one exec per run instead of three: no setsid(1), and no jspawnhelper, which
 * the JDK execs before every command it starts.
 */
public final class NativeSessionLauncher implements ProcessLauncher {

    private static final Path SHELL = Path.of("/bin/sh");
    private static final Path DEV_NULL = Path.of("/dev/null");

    /**
     * One blocked thread per running command waits for it, as the JDK's own process reaper does;
     * idle ones go after a few seconds. Small stacks: they only sit in waitid.
     */
    private static final ExecutorService EXIT_WAITERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            10, TimeUnit.SECONDS, new SynchronousQueue<>(), new WaiterThreads());

    private final GroupReaper reaper = new GroupReaper();

    public NativeSessionLauncher() {
        if (!available()) {
            throw new IllegalStateException(PosixSpawn.problem().orElse("/bin/sh is missing"));
        }
        reaper.start(); // before the first command, as in SupervisedLauncher
    }

    static boolean available() {
        return PosixSpawn.available() && Files.isExecutable(SHELL);
    }

    @Override
    public String description() {
        return "posix_spawn, each in a session of its own";
    }

    @Override
    public CommandProcess start(LaunchSpec spec) throws IOException {
        Path program = ProgramResolver.resolve(spec);
        if (spec.workingDir().isPresent() && !Files.isDirectory(spec.workingDir().get())) {
            throw new IOException("Cannot run program \"" + spec.argv().get(0) + "\": working directory "
                    + spec.workingDir().get() + " is not a directory");
        }
        List<String> argv = spec.argv();
        FileDescriptor output = new FileDescriptor();
        int pid = spawn(program.toString(), argv, spec, output);
        if (pid == -PosixSpawn.ENOEXEC) {
            // A script without "#!": run it with the shell, as execvp and the JDK do.
            List<String> viaShell = new ArrayList<>();
            viaShell.add(SHELL.toString());
            viaShell.add(program.toString());
            viaShell.addAll(argv.subList(1, argv.size()));
            pid = spawn(SHELL.toString(), viaShell, spec, output);
        }
        if (pid < 0) {
            throw new IOException("Cannot run program \"" + argv.get(0) + "\": " + PosixSpawn.describeError(-pid));
        }
        int group = pid;
        FileInputStream out = new FileInputStream(output);
        // Registered before its waiter exists: a fast command's "forget" must not overtake its "add".
        try {
            reaper.add(group);
        } catch (RuntimeException e) {
            // Unguarded, it must not run at all; reaped here, since no waiter will.
            PosixSpawn.signalGroup(group, PosixSpawn.SIGKILL);
            PosixSpawn.awaitExited(group);
            PosixSpawn.reap(group);
            out.close();
            throw e;
        }
        SpawnedProcess process = new SpawnedProcess(group, out);
        EXIT_WAITERS.execute(() -> {
            try {
                PosixSpawn.awaitExited(group);
            } catch (IOException e) {
                process.failed(e);
                return;
            }
            process.reap();
            reaper.forget(group);
        });
        return process;
    }

    /** For tests: the pid of this launcher's reaper. */
    long reaperPid() throws IOException {
        return reaper.pid();
    }

    private static int spawn(String program, List<String> argv, LaunchSpec spec, FileDescriptor output)
            throws IOException {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(spec.environment());
        byte[][] envp = new byte[environment.size()][];
        int i = 0;
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            envp[i++] = cString("environment variable " + variable.getKey(), variable.getKey() + "=" + variable.getValue());
        }
        byte[][] args = new byte[argv.size()][];
        for (int a = 0; a < args.length; a++) {
            args[a] = cString("argument " + a, argv.get(a));
        }
        byte[] dir = spec.workingDir().isPresent() ? cString("working directory", spec.workingDir().get().toString()) : null;
        byte[] stdin = cString("stdin file", spec.stdin().orElse(DEV_NULL).toString());
        return PosixSpawn.spawn(cString("program", program), args, envp, dir, stdin, output);
    }

    private static byte[] cString(String what, String value) throws IOException {
        if (value.indexOf('\0') >= 0) {
            throw new IOException("Cannot run the command: its " + what + " contains a NUL character");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    /** Daemon threads that do not hold on to the application's class loader. */
    private static final class WaiterThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(null, task, "cron-executor-exit-waiter-" + count.incrementAndGet(), 256 * 1024);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        }
    }
}
