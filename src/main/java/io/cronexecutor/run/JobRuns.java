package io.cronexecutor.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job's runs on this instance: which are running, which wait for a slot, and which message
 * ids already finished here, so a redelivered tick is recognised. Guarded by its own lock.
 */
final class JobRuns {

    private static final int REMEMBERED_MESSAGES = 10_000;

    /** A tick that has a run here, running or waiting, with every delivery of it that is still unsettled. */
    static final class Held {
        final String runId;
        final Tick tick;
        final RunControl control;
        final List<TickReply> replies = new ArrayList<>();
        RunRecord record;

        Held(String runId, Tick tick, TickReply reply, RunControl control, RunRecord record) {
            this.runId = runId;
            this.tick = tick;
            this.control = control;
            this.record = record;
            replies.add(reply);
        }
    }

    private final Map<String, Held> running = new LinkedHashMap<>();
    private final Deque<Held> queued = new ArrayDeque<>();
    private final Map<String, Held> byTick = new LinkedHashMap<>();
    private final Map<String, Boolean> acked = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_MESSAGES;
        }
    };

    boolean alreadyAcked(String tickIdentity) {
        return acked.containsKey(tickIdentity);
    }

    Optional<Held> holding(String tickIdentity) {
        return Optional.ofNullable(byTick.get(tickIdentity));
    }

    int runningCount() {
        return running.size();
    }

    void startRunning(Held held) {
        running.put(held.runId, held);
        byTick.put(held.tick.identity(), held);
    }

    void enqueue(Held held) {
        queued.addLast(held);
        byTick.put(held.tick.identity(), held);
    }

    /** Ends a run; returns the next queued tick to start in its slot, if any. */
    Optional<Held> finish(Held held, Settlement settlement, boolean startNext) {
        running.remove(held.runId);
        byTick.remove(held.tick.identity());
        if (settlement == Settlement.ACK) {
            acked.put(held.tick.identity(), Boolean.TRUE);
        }
        if (!startNext || queued.isEmpty()) {
            return Optional.empty();
        }
        Held next = queued.pollFirst();
        running.put(next.runId, next);
        return Optional.of(next);
    }

    List<Held> drainQueue() {
        List<Held> all = new ArrayList<>(queued);
        queued.clear();
        all.forEach(h -> byTick.remove(h.tick.identity()));
        return all;
    }

    Optional<Held> removeQueued(String runId) {
        for (Held held : queued) {
            if (held.runId.equals(runId)) {
                queued.remove(held);
                byTick.remove(held.tick.identity());
                return Optional.of(held);
            }
        }
        return Optional.empty();
    }

    Optional<Held> runningRun(String runId) {
        return Optional.ofNullable(running.get(runId));
    }

    List<Held> allRunning() {
        return List.copyOf(running.values());
    }
}
