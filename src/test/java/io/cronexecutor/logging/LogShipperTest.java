package io.cronexecutor.logging;

import com.google.logging.v2.LogEntry;
import io.cronexecutor.testing.Await;
import io.cronexecutor.testing.ShipmentCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogShipperTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A backend that records batches, fails on cue, or stops answering. */
    private static final class ScriptedBackend implements LogShipper.Writer {
        final List<List<LogEntry>> batches = new ArrayList<>();
        final Deque<LogWriteException> failures = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch hang;

        @Override
        public void write(List<LogEntry> entries) throws LogWriteException {
            calls.incrementAndGet();
            CountDownLatch gate = hang;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new LogWriteException("CANCELLED", false, e);
                }
            }
            synchronized (this) {
                LogWriteException failure = failures.poll();
                if (failure != null) {
                    throw failure;
                }
                batches.add(List.copyOf(entries));
            }
        }

        synchronized List<String> lines() {
            return batches.stream().flatMap(List::stream).map(LogEntry::getTextPayload).toList();
        }
    }


    private final ScriptedBackend backend = new ScriptedBackend();
    private final ShipmentCounts counts = new ShipmentCounts();
    private LogShipper shipper;

    private LogShipper start(long bufferBytes, Duration flushInterval, int attempts) {
        shipper = new LogShipper(backend, new LogShipper.Options(bufferBytes, 100, 1 << 20, flushInterval,
                Duration.ofMillis(1), Duration.ofMillis(4), attempts), counts, Thread::new, System::nanoTime);
        return shipper;
    }

    private static LogEntry line(int i) {
        return LogEntry.newBuilder().setTextPayload("line " + i).build();
    }

    private static List<String> lines(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("line " + i);
        }
        return lines;
    }

    @AfterEach
    void close() {
        CountDownLatch gate = backend.hang;
        if (gate != null) {
            gate.countDown();
        }
        if (shipper != null) {
            shipper.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void entriesArriveInOrderInBoundedBatches() {
        start(1 << 20, Duration.ofMillis(10), 3);
        for (int i = 0; i < 2500; i++) {
            assertTrue(shipper.offer(line(i)));
        }
        Await.until(WAIT, () -> counts.written.get() == 2500, () -> "2500 entries written, was " + counts.written);

        assertEquals(lines(2500), backend.lines());
        assertTrue(backend.batches.stream().allMatch(b -> b.size() <= 100), "no batch over 100 entries");
        assertEquals(0, counts.dropped.get());
    }

    @Test
    void aLoneEntryIsWrittenAfterTheFlushIntervalWithoutWaitingForABatch() {
        start(1 << 20, Duration.ofMillis(50), 3);
        shipper.offer(line(0));
        Await.until(WAIT, () -> counts.written.get() == 1, () -> "the entry written");
        assertEquals(List.of("line 0"), backend.lines());
    }

    @Test
    void offeringNeverWaitsForABackendThatStoppedAnswering() {
        backend.hang = new CountDownLatch(1);
        long bufferBytes = 64 * 1024;
        start(bufferBytes, Duration.ofMillis(1), 3);
        int offered = 200_000;
        int accepted = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int n = 0;
            for (int i = 0; i < offered; i++) {
                if (shipper.offer(line(i))) {
                    n++;
                }
            }
            return n;
        });

        assertTrue(shipper.queuedBytes() <= bufferBytes, "the buffer stays within its bytes: " + shipper.queuedBytes());
        assertTrue(accepted < offered / 10, "most were refused, accepted " + accepted);
        assertEquals(offered - accepted, counts.dropped.get(), "every refused entry is counted");
        assertEquals(0, counts.written.get());
    }

    @Test
    void aFullBufferStillTakesEssentialEntries() {
        backend.hang = new CountDownLatch(1);
        start(64 * 1024, Duration.ofMillis(1), 3);
        int i = 0;
        while (shipper.offer(line(i))) {
            i++;
        }
        assertFalse(shipper.offer(line(i)), "ordinary entries are refused");
        assertTrue(shipper.offer(LogEntry.newBuilder().setTextPayload("run ended").build(), true),
                "a run's outcome still fits");
    }

    @Test
    void whatWasBufferedDuringAnOutageIsWrittenOnceTheBackendAnswersAgain() {
        backend.hang = new CountDownLatch(1);
        start(1 << 20, Duration.ofMillis(1), 3);
        for (int i = 0; i < 500; i++) {
            shipper.offer(line(i));
        }
        Await.until(WAIT, () -> backend.calls.get() == 1, () -> "a write in flight");
        backend.hang.countDown();
        Await.until(WAIT, () -> counts.written.get() == 500, () -> "500 written, was " + counts.written);
        assertEquals(lines(500), backend.lines());
    }

    @Test
    void aWriteThatMaySucceedLaterIsRetriedWithoutLosingOrRepeatingEntries() {
        backend.failures.add(new LogWriteException("UNAVAILABLE: connection refused", true, null));
        backend.failures.add(new LogWriteException("DEADLINE_EXCEEDED", true, null));
        start(1 << 20, Duration.ofMillis(1), 3);
        for (int i = 0; i < 50; i++) {
            shipper.offer(line(i));
        }
        Await.until(WAIT, () -> counts.written.get() == 50, () -> "50 written, was " + counts.written);

        assertEquals(lines(50), backend.lines());
        assertEquals(0, counts.dropped.get());
        assertTrue(backend.calls.get() >= 3, "two failures, then the write: " + backend.calls);
    }

    @Test
    void aBatchThatCannotSucceedIsDroppedAtOnceAndCounted() {
        backend.failures.add(new LogWriteException("PERMISSION_DENIED: logging.logEntries.create", false, null));
        start(1 << 20, Duration.ofMillis(20), 5);
        for (int i = 0; i < 10; i++) {
            shipper.offer(line(i));
        }
        Await.until(WAIT, () -> counts.dropped.get() == 10, () -> "10 dropped, was " + counts.dropped);
        assertEquals(1, backend.calls.get(), "not retried");

        shipper.offer(line(10));
        Await.until(WAIT, () -> counts.written.get() == 1, () -> "the next entry written");
        assertEquals(List.of("line 10"), backend.lines());
    }

    @Test
    void aBatchIsGivenUpAfterItsAttempts() {
        for (int i = 0; i < 3; i++) {
            backend.failures.add(new LogWriteException("UNAVAILABLE", true, null));
        }
        start(1 << 20, Duration.ofMillis(20), 3);
        for (int i = 0; i < 7; i++) {
            shipper.offer(line(i));
        }
        Await.until(WAIT, () -> counts.dropped.get() == 7, () -> "7 dropped, was " + counts.dropped);
        assertEquals(3, backend.calls.get());
        assertEquals(0, counts.written.get());
    }

    @Test
    void closingWritesWhatIsQueued() {
        start(1 << 20, Duration.ofHours(1), 3);
        for (int i = 0; i < 10; i++) {
            shipper.offer(line(i));
        }
        shipper.close(Duration.ofSeconds(5));

        assertEquals(lines(10), backend.lines());
        assertEquals(10, counts.written.get());
        assertFalse(shipper.offer(line(11)), "a closed shipper takes nothing");
    }

    @Test
    void closingGivesUpAfterItsGraceWhenTheBackendHangs() throws Exception {
        backend.hang = new CountDownLatch(1);
        start(1 << 20, Duration.ofMillis(1), 3);
        for (int i = 0; i < 250; i++) {
            shipper.offer(line(i));
        }
        Await.until(WAIT, () -> backend.calls.get() == 1, () -> "a write in flight");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> shipper.close(Duration.ofMillis(200)));

        Await.until(WAIT, () -> counts.dropped.get() == 250, () -> "all 250 dropped, was " + counts.dropped);
        assertEquals(0, counts.written.get());
    }
}
