package io.cronexecutor.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One small /bin/sh process per JVM that signals the commands' process groups on the JVM's
 * behalf and, when the JVM dies however it dies (its end of the pipe closes, even on SIGKILL),
 * kills every group still registered, so nothing from a previous life keeps running. Java
 * cannot signal a process group itself; one long-lived helper costs far less than a supervisor
 * process per run.
 */
final class GroupReaper {

    private static final Logger LOG = Logger.getLogger(GroupReaper.class.getName());

    // Ignores the terminal's and the container's signals: it must outlive the JVM to clean up.
    // Groups are kept as " 12 34 " so removal needs no external command.
    static final String SCRIPT = String.join("\n",
            "trap '' TERM INT HUP",
            "groups=' '",
            "while read -r verb group; do",
            "  case \"$verb\" in",
            "    add) groups=\"$groups$group \" ;;",
            "    TERM) kill -TERM -\"$group\" 2>/dev/null ;;",
            "    KILL) kill -KILL -\"$group\" 2>/dev/null ;;",
            "    end|forget) [ \"$verb\" = end ] && kill -KILL -\"$group\" 2>/dev/null",
            "         case \"$groups\" in *\" $group \"*) groups=\"${groups%% $group *} ${groups#* $group }\" ;; esac ;;",
            "  esac",
            "done",
            "for g in $groups; do kill -KILL -\"$g\" 2>/dev/null; done");

    private final Set<Long> live = new LinkedHashSet<>();
    private Process reaper;
    private OutputStream commands;

    /** Starts the reaper process if it is not running. */
    synchronized void start() {
        try {
            ensureRunning();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the process-group reaper (/bin/sh)", e);
        }
    }

    /** Registers a new group, whose leader is {@code pgid}; it is killed if the JVM dies. */
    synchronized void add(long pgid) {
        live.add(pgid);
        send("add " + pgid);
    }

    synchronized void terminate(long pgid) {
        send("TERM " + pgid);
    }

    synchronized void kill(long pgid) {
        send("KILL " + pgid);
    }

    /** The group's leader has exited: kill whatever it left behind and forget the group. */
    synchronized void end(long pgid) {
        live.remove(pgid);
        send("end " + pgid);
    }

    /** The group is gone (its leftovers were killed and its leader reaped): only forget it. */
    synchronized void forget(long pgid) {
        live.remove(pgid);
        send("forget " + pgid);
    }

    private void send(String line) {
        try {
            ensureRunning();
            commands.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException first) {
            // The reaper died (someone killed it): start another and hand it every live group.
            LOG.warning("Process-group reaper is gone (" + first.getMessage() + "); starting a new one");
            reaper = null;
            try {
                ensureRunning();
                commands.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                commands.flush();
            } catch (IOException second) {
                throw new UncheckedIOException("cannot reach the process-group reaper", second);
            }
        }
    }

    private void ensureRunning() throws IOException {
        if (reaper != null && reaper.isAlive()) {
            return;
        }
        reaper = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "cron-executor-reaper")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        commands = reaper.getOutputStream();
        StringBuilder known = new StringBuilder();
        for (long pgid : live) {
            known.append("add ").append(pgid).append('\n');
        }
        commands.write(known.toString().getBytes(StandardCharsets.US_ASCII));
        commands.flush();
    }

    /** For tests: the reaper's pid, starting it if needed. */
    synchronized long pid() throws IOException {
        ensureRunning();
        return reaper.pid();
    }
}
