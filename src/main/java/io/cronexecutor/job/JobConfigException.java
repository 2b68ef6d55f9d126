package io.cronexecutor.job;

import java.util.List;

/** The job configuration is invalid; carries every problem found, each naming its key and value. */
public class JobConfigException extends RuntimeException {

    private final List<String> problems;

    public JobConfigException(List<String> problems) {
        super("Invalid job configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
