package io.cronexecutor.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The most recent runs of each job on this instance, bounded per job, newest last. */
public final class RunHistory {

    /** Told of every run that reaches a final state, once per state reached (metrics, audit). */
    @FunctionalInterface
    public interface Listener {
        void ended(RunRecord run);

        /** This listener, then {@code other}, even if this one throws. */
        default Listener and(Listener other) {
            return run -> {
                try {
                    ended(run);
                } finally {
                    other.ended(run);
                }
            };
        }
    }

    private final int perJob;
    private final Listener listener;
    private final RunStore store;
    private final Map<String, LinkedHashMap<String, RunRecord>> byJob = new HashMap<>();

    public RunHistory(int perJob) {
        this(perJob, run -> { });
    }

    public RunHistory(int perJob, Listener listener) {
        this(perJob, listener, RunStore.NONE);
    }

    /**
     * A history kept in {@code store} too, starting with what it holds. Runs that were still going
     * when the previous process stopped without settling them are recorded {@code INTERRUPTED};
     * the listener hears nothing of the loaded runs (they were counted by the process that ran them).
     */
    public RunHistory(int perJob, Listener listener, RunStore store) {
        if (perJob <= 0) {
            throw new IllegalArgumentException("history size must be positive, was " + perJob);
        }
        this.perJob = perJob;
        this.listener = listener;
        this.store = store;
        for (RunRecord run : store.load()) {
            RunRecord loaded = run.state() == RunState.RUNNING || run.state() == RunState.QUEUED ? abandoned(run) : run;
            if (loaded != run) {
                store.save(loaded);
            }
            keep(loaded);
        }
    }

    private static RunRecord abandoned(RunRecord run) {
        return new RunRecord(run.id(), run.job(), run.trigger(), run.messageId(), run.deliveryAttempt(), run.startedAt(),
                null, null, RunState.INTERRUPTED, null, run.output(), run.outputTruncated(),
                "the service stopped before this run ended, without settling its tick (a crash or a kill);"
                        + " Pub/Sub delivers the tick again");
    }

    /** Adds the run, or replaces the record with the same id (a run moving to a new state). */
    public void record(RunRecord run) {
        boolean ended;
        synchronized (this) {
            ended = keep(run);
            store.save(run);
        }
        if (ended) {
            listener.ended(run);
        }
    }

    private boolean keep(RunRecord run) {
        LinkedHashMap<String, RunRecord> runs = byJob.computeIfAbsent(run.job(), j -> new LinkedHashMap<>());
        RunRecord before = runs.put(run.id(), run);
        if (runs.size() > perJob) {
            String eldest = runs.keySet().iterator().next();
            store.remove(runs.remove(eldest));
        }
        return run.state().isFinal() && (before == null || before.state() != run.state()
                || !java.util.Objects.equals(before.endedAt(), run.endedAt()));
    }

    /** Adds the run unless one with its id is already known; returns the record now held. */
    public synchronized RunRecord recordIfAbsent(RunRecord run) {
        Optional<RunRecord> existing = find(run.job(), run.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        keep(run);
        store.save(run);
        return run;
    }

    /** The job's runs, newest first. */
    public synchronized List<RunRecord> runs(String job) {
        List<RunRecord> runs = new ArrayList<>(byJob.getOrDefault(job, new LinkedHashMap<>()).values());
        Collections.reverse(runs);
        return runs;
    }

    public synchronized Optional<RunRecord> find(String job, String id) {
        return Optional.ofNullable(byJob.getOrDefault(job, new LinkedHashMap<>()).get(id));
    }

    public synchronized Optional<RunRecord> latest(String job) {
        List<RunRecord> runs = runs(job);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }
}
