package io.cronexecutor.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a job runs.
 *
 * @param commandLine the command as configured, for display
 * @param argv        the words executed; with {@code shell} these are {@code /bin/sh -c <commandLine>}
 * @param shell       whether the operator opted into running the command line through /bin/sh
 * @param workingDir  the directory it runs in; the server's working directory if empty
 * @param environment extra environment variables, on top of the server's and the tick's
 */
public record CommandSpec(String commandLine, List<String> argv, boolean shell, Optional<Path> workingDir,
                          Map<String, String> environment) {

    public CommandSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /** A command split into words and run directly, with no working directory or environment of its own. */
    public static CommandSpec of(String commandLine) {
        return new CommandSpec(commandLine, CommandLineSplitter.split(commandLine), false, Optional.empty(), Map.of());
    }
}
