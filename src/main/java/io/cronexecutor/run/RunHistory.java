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

    private final int perJob;
    private final Map<String, LinkedHashMap<String, RunRecord>> byJob = new HashMap<>();

    public RunHistory(int perJob) {
        if (perJob <= 0) {
            throw new IllegalArgumentException("history size must be positive, was " + perJob);
        }
        this.perJob = perJob;
    }

    /** Adds the run, or replaces the record with the same id (a run moving to a new state). */
    public synchronized void record(RunRecord run) {
        LinkedHashMap<String, RunRecord> runs = byJob.computeIfAbsent(run.job(), j -> new LinkedHashMap<>());
        runs.put(run.id(), run);
        if (runs.size() > perJob) {
            String eldest = runs.keySet().iterator().next();
            runs.remove(eldest);
        }
    }

    /** Adds the run unless one with its id is already known; returns the record now held. */
    public synchronized RunRecord recordIfAbsent(RunRecord run) {
        Optional<RunRecord> existing = find(run.job(), run.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        record(run);
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
