package io.cronexecutor.run;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The run history in an H2 MVStore file. A run's end is written at once, before its tick is acked,
 * so that a redelivery after a crash finds it; other changes within a second. A file that cannot be read
 * is moved aside and the history starts empty: the service must start either way.
 */
public final class MvRunStore implements RunStore {

    static final String FILE_NAME = "runs.mv.db";
    private static final Logger LOG = Logger.getLogger(MvRunStore.class.getName());

    private final MVStore store;
    private final MVMap<String, byte[]> runs;
    private final Map<String, String> keys = new HashMap<>();
    private long sequence;

    private MvRunStore(MVStore store) {
        this.store = store;
        this.runs = store.openMap("runs");
    }

    public static MvRunStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run history directory " + dir.toAbsolutePath(), e);
        }
        Path file = dir.resolve(FILE_NAME);
        try {
            return new MvRunStore(new MVStore.Builder().fileName(file.toString()).open());
        } catch (MVStoreException e) {
            if (!unreadable(e)) {
                // Locked by another process (two servers on one directory), a full disk...: not ours to move.
                throw new IllegalStateException("cannot open the run history " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
            Path aside = dir.resolve(FILE_NAME + ".unreadable-" + System.currentTimeMillis());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                throw new UncheckedIOException("the run history " + file.toAbsolutePath() + " is unreadable (" + e.getMessage()
                        + ") and could not be moved aside", moveFailed);
            }
            LOG.severe("The run history " + file.toAbsolutePath() + " is unreadable (" + e.getMessage() + "); it was moved to "
                    + aside.getFileName() + " and the history starts empty");
            return new MvRunStore(new MVStore.Builder().fileName(file.toString()).open());
        }
    }

    private static boolean unreadable(MVStoreException e) {
        int code = e.getErrorCode();
        return code == DataUtils.ERROR_FILE_CORRUPT || code == DataUtils.ERROR_UNSUPPORTED_FORMAT
                || code == DataUtils.ERROR_CHUNK_NOT_FOUND || code == DataUtils.ERROR_UNKNOWN_DATA_TYPE;
    }

    @Override
    public synchronized List<RunRecord> load() {
        List<RunRecord> loaded = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : runs.entrySet()) {
            sequence = Math.max(sequence, Long.parseLong(entry.getKey(), 16));
            try {
                RunRecord run = RunRecordCodec.decode(entry.getValue());
                keys.put(identity(run), entry.getKey());
                loaded.add(run);
            } catch (IllegalArgumentException e) {
                unreadable.add(entry.getKey());
            }
        }
        if (!unreadable.isEmpty()) {
            LOG.warning(unreadable.size() + " run record(s) in the history could not be read and were dropped");
            unreadable.forEach(runs::remove);
        }
        return loaded;
    }

    @Override
    public synchronized void save(RunRecord run) {
        String key = keys.computeIfAbsent(identity(run), id -> String.format("%016x", ++sequence));
        runs.put(key, RunRecordCodec.encode(run));
        if (run.state().isFinal()) {
            // On file before the tick is acked, so a crash in between cannot make it run twice here.
            store.commit();
        }
    }

    @Override
    public synchronized void remove(RunRecord run) {
        String key = keys.remove(identity(run));
        if (key != null) {
            runs.remove(key);
        }
    }

    private static String identity(RunRecord run) {
        return run.job() + '\u0000' + run.id();
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }
}
