package io.cronexecutor.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The jobs an operator paused on this instance, kept in a file (one name a line) so that a
 * reboot does not quietly resume a job paused during an incident. Written whole to a temporary
 * file and moved into place, so a crash leaves the old list or the new one, never half of one.
 */
public final class PausedJobs {

    static final String FILE_NAME = "paused-jobs";

    private final Optional<Path> file;
    private final Set<String> paused = new TreeSet<>();

    private PausedJobs(Optional<Path> file) {
        this.file = file;
    }

    /** Kept only in memory. */
    public static PausedJobs inMemory() {
        return new PausedJobs(Optional.empty());
    }

    /** Kept in {@code dir}, starting with what is there. */
    public static PausedJobs in(Path dir) {
        PausedJobs jobs = new PausedJobs(Optional.of(dir.resolve(FILE_NAME)));
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            try {
                Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim).filter(l -> !l.isEmpty())
                        .forEach(jobs.paused::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
            }
        }
        return jobs;
    }

    public synchronized boolean isPaused(String job) {
        return paused.contains(job);
    }

    public synchronized Set<String> all() {
        return Set.copyOf(paused);
    }

    /** Records the job paused or not; the file is written before this returns. */
    public synchronized void set(String job, boolean pause) {
        boolean changed = pause ? paused.add(job) : paused.remove(job);
        if (changed && file.isPresent()) {
            write(file.get());
        }
    }

    private void write(Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), FILE_NAME, ".tmp");
            Files.write(temp, paused, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target.toAbsolutePath(), e);
        }
    }
}
