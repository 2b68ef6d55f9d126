package io.cronexecutor.run;

import java.util.List;

/** Where the run history is kept across restarts. */
public interface RunStore extends AutoCloseable {

    /** Keeps nothing: the history lives only as long as the process. */
    RunStore NONE = new RunStore() {
        @Override
        public List<RunRecord> load() {
            return List.of();
        }

        @Override
        public void save(RunRecord run) {
        }

        @Override
        public void remove(RunRecord run) {
        }

        @Override
        public void close() {
        }
    };

    /** Every kept run, in the order they were first recorded. */
    List<RunRecord> load();

    /** Adds the run, or replaces the one with its job and id. */
    void save(RunRecord run);

    void remove(RunRecord run);

    @Override
    void close();
}
