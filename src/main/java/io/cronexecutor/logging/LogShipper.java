package io.cronexecutor.logging;

import com.google.logging.v2.LogEntry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Ships log entries to a backend in batches from one thread of its own, so that whoever offers an
 * entry (a command's output reader) never waits for the network. The buffer is bounded in bytes:
 * when the backend is slow or down, new entries are dropped and counted rather than held without
 * limit, and the drops are reported in the server log at most once a minute. A failed batch is
 * retried with a growing pause when the failure may pass (unavailable, deadline, quota), and
 * dropped when it cannot (permission, bad request).
 */
public final class LogShipper implements AutoCloseable {

    /** Writes one batch; throws {@link LogWriteException} saying whether a retry may help. */
    @FunctionalInterface
    public interface Writer {
        void write(List<LogEntry> entries) throws LogWriteException;
    }

    /** Told how many entries reached the backend and how many were given up (for metrics). */
    public interface Listener {
        void written(int entries);

        void dropped(int entries);

        Listener NONE = new Listener() {
            @Override
            public void written(int entries) {
            }

            @Override
            public void dropped(int entries) {
            }
        };
    }

    /**
     * @param bufferBytes   serialized bytes of entries waiting to be written; beyond it new entries are dropped
     * @param batchEntries  most entries in one write
     * @param batchBytes    most serialized bytes in one write (Cloud Logging takes up to 10 MB)
     * @param flushInterval how long an entry may wait for its batch to fill
     * @param firstBackoff  pause before the first retry of a failed batch; doubles up to {@code maxBackoff}
     * @param attempts      writes of one batch before it is dropped
     */
    public record Options(long bufferBytes, int batchEntries, long batchBytes, Duration flushInterval,
                          Duration firstBackoff, Duration maxBackoff, int attempts) {

        public static Options defaults(long bufferBytes) {
            return new Options(bufferBytes, 1000, 5L << 20, Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(30), 8);
        }
    }

    private static final Logger LOG = Logger.getLogger(LogShipper.class.getName());
    private static final long REPORT_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final Writer writer;
    private final Options options;
    private final Listener listener;
    private final LongSupplier nanoTime;
    private final ArrayDeque<LogEntry> queue = new ArrayDeque<>();
    private final Thread thread;

    // Guarded by this.
    private long queuedBytes;
    private long oldestQueuedAt;
    private boolean closing;
    private long droppedSinceReport;
    private long lastReportAt;
    private String lastFailure;
    private boolean failing;

    public LogShipper(Writer writer, Options options, Listener listener, ThreadFactory threads, LongSupplier nanoTime) {
        this.writer = writer;
        this.options = options;
        this.listener = listener;
        this.nanoTime = nanoTime;
        // The first drop is reported at once, later ones at most once a minute.
        this.lastReportAt = nanoTime.getAsLong() - REPORT_EVERY_NANOS;
        this.thread = threads.newThread(this::run);
        thread.setName("cron-log-shipper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the entry unless the buffer is full or the shipper is closed; never blocks on the backend. */
    public boolean offer(LogEntry entry) {
        return offer(entry, false);
    }

    /**
     * Queues the entry unless the buffer is full or the shipper is closed; never blocks on the
     * backend. Ordinary entries may fill seven eighths of the buffer, so that the last eighth keeps
     * room for {@code essential} ones (a run's outcome) when a flood of output meets an outage.
     */
    public boolean offer(LogEntry entry, boolean essential) {
        long size = entry.getSerializedSize();
        long limit = essential ? options.bufferBytes() : options.bufferBytes() / 8 * 7;
        synchronized (this) {
            if (closing || queuedBytes + size > limit) {
                droppedSinceReport++;
                reportDropsIfDue(false);
            } else {
                boolean first = queue.isEmpty();
                if (first) {
                    oldestQueuedAt = nanoTime.getAsLong();
                }
                queue.add(entry);
                queuedBytes += size;
                // The first entry starts the flush interval; a full batch goes at once.
                if (first || queue.size() >= options.batchEntries() || queuedBytes >= options.batchBytes()) {
                    notifyAll();
                }
                return true;
            }
        }
        listener.dropped(1);
        return false;
    }

    /** Serialized bytes of the entries waiting to be written (at most the buffer size). */
    public synchronized long queuedBytes() {
        return queuedBytes;
    }

    private void run() {
        List<LogEntry> batch;
        while ((batch = nextBatch()) != null) {
            send(batch);
        }
    }

    private synchronized List<LogEntry> nextBatch() {
        try {
            while (!batchDue()) {
                if (closing && queue.isEmpty()) {
                    return null;
                }
                long waitNanos = queue.isEmpty() ? Long.MAX_VALUE
                        : options.flushInterval().toNanos() - (nanoTime.getAsLong() - oldestQueuedAt);
                waitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            return null;
        }
        List<LogEntry> batch = new ArrayList<>(Math.min(queue.size(), options.batchEntries()));
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < options.batchEntries()) {
            long size = queue.peek().getSerializedSize();
            if (!batch.isEmpty() && bytes + size > options.batchBytes()) {
                break;
            }
            batch.add(queue.poll());
            bytes += size;
        }
        queuedBytes -= bytes;
        oldestQueuedAt = nanoTime.getAsLong();
        return batch;
    }

    private boolean batchDue() {
        if (queue.isEmpty()) {
            return false;
        }
        return closing || queue.size() >= options.batchEntries() || queuedBytes >= options.batchBytes()
                || nanoTime.getAsLong() - oldestQueuedAt >= options.flushInterval().toNanos();
    }

    private void send(List<LogEntry> batch) {
        Duration backoff = options.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(batch);
                recovered();
                listener.written(batch.size());
                return;
            } catch (LogWriteException e) {
                boolean again = e.retryable() && attempt < options.attempts();
                failed(e, again);
                if (!again || !pause(backoff)) {
                    giveUp(batch.size());
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                failed(new LogWriteException(e.toString(), false, e), false);
                giveUp(batch.size());
                return;
            }
        }
    }

    /** Waits before a retry; false if the shipper is closing, so its last batches are not held up by backoff. */
    private synchronized boolean pause(Duration backoff) {
        long until = nanoTime.getAsLong() + backoff.toNanos();
        try {
            while (!closing) {
                long left = until - nanoTime.getAsLong();
                if (left <= 0) {
                    return true;
                }
                waitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void waitNanos(long nanos) throws InterruptedException {
        if (nanos == Long.MAX_VALUE) {
            wait();
        } else if (nanos > 0) {
            wait(Math.max(1, nanos / 1_000_000), 0);
        }
    }

    private synchronized void failed(LogWriteException e, boolean retrying) {
        String failure = e.getMessage();
        if (!failing || !failure.equals(lastFailure)) {
            LOG.warning("Writing run logs to Cloud Logging failed: " + failure
                    + (retrying ? "; retrying, new entries are buffered (up to " + options.bufferBytes() + " bytes)"
                    : e.retryable() ? "; giving up on this batch after " + options.attempts() + " attempts"
                    : "; this cannot succeed by retrying, so the batch is dropped"));
        }
        failing = true;
        lastFailure = failure;
    }

    private synchronized void recovered() {
        if (failing) {
            LOG.info("Writing run logs to Cloud Logging works again");
            failing = false;
            lastFailure = null;
        }
    }

    private void giveUp(int entries) {
        synchronized (this) {
            droppedSinceReport += entries;
            reportDropsIfDue(false);
        }
        listener.dropped(entries);
    }

    private void reportDropsIfDue(boolean now) {
        long at = nanoTime.getAsLong();
        if (droppedSinceReport > 0 && (now || at - lastReportAt >= REPORT_EVERY_NANOS)) {
            LOG.warning("Cloud Logging: " + droppedSinceReport + " run log entries dropped since the last report ("
                    + (lastFailure != null ? "writes failing: " + lastFailure : "buffer of " + options.bufferBytes() + " bytes full")
                    + "); the runs themselves are not affected");
            droppedSinceReport = 0;
            lastReportAt = at;
        }
    }

    /**
     * Stops taking entries and writes what is queued, for at most {@code grace}; whatever is still
     * unwritten then is dropped and reported.
     */
    public void close(Duration grace) {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left;
        synchronized (this) {
            left = queue.size();
            queue.clear();
            queuedBytes = 0;
            droppedSinceReport += left;
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        if (left > 0) {
            listener.dropped(left);
        }
        synchronized (this) {
            reportDropsIfDue(true);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
