package io.cronexecutor.run;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The JNI binding to {@code src/main/c/cron_spawn.c}: posix_spawn into a new session, wait for
 * a group leader, signal a group. The library is built for the build machine's platform and
 * packed under {@code native/linux-<arch>/}; where it is missing or will not load, this says why
 * and the launcher falls back to setsid(1).
 */
final class PosixSpawn {

    static final int SIGTERM = 15;
    static final int SIGKILL = 9;
    static final int ENOEXEC = 8;

    private static final String LIBRARY = "libcronspawn.so";
    private static final Optional<String> PROBLEM = load();

    private PosixSpawn() {
    }

    static boolean available() {
        return PROBLEM.isEmpty();
    }

    /** Why the native launcher cannot be used here, when it cannot. */
    static Optional<String> problem() {
        return PROBLEM;
    }

    /**
     * Starts a command as the leader of a new session. Every string ends with a zero byte.
     *
     * @return the pid (== process group id), or minus the errno posix_spawn reported
     */
    static native int spawn(byte[] program, byte[][] argv, byte[][] envp, byte[] dir, byte[] stdinPath,
                            FileDescriptor output) throws IOException;

    /** Blocks until the leader has exited; it stays unreaped, so its group id cannot be reused yet. */
    static native void awaitExited(int pid) throws IOException;

    /** Kills what an exited leader left in its group, then reaps it: its exit code, or 128 + signal. */
    static native int reap(int pid) throws IOException;

    static native void signalGroup(int pgid, int signal) throws IOException;

    static native String describeError(int errno);

    /**
     * Copies the library out of the archive under a fresh name each time: a JVM refuses to load
     * one file into two class loaders, and Liberty gives a restarted application a new one.
     */
    private static Optional<String> load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux")) {
            return Optional.of("native spawning is built for Linux only, this is " + os);
        }
        String resource = "/native/linux-" + arch + "/" + LIBRARY;
        try (InputStream in = PosixSpawn.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.of("no " + resource + " in the application (built on another platform?)");
            }
            Path copy = Files.createTempFile("cron-executor-", "-" + LIBRARY);
            try {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                System.load(copy.toString());
            } finally {
                Files.deleteIfExists(copy); // the mapping stays valid once loaded
            }
            return Optional.empty();
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return Optional.of("cannot load " + resource + ": " + e.getMessage());
        }
    }
}
