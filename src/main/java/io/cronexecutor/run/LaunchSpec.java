package io.cronexecutor.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one command.
 *
 * @param argv        the words to execute, never through a shell unless argv itself names one
 * @param workingDir  where it runs; the server's working directory if empty
 * @param environment variables added to the server's environment
 * @param stdin       a file whose content becomes the command's standard input; /dev/null if empty
 */
public record LaunchSpec(List<String> argv, Optional<Path> workingDir, Map<String, String> environment,
                         Optional<Path> stdin) {

    public LaunchSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    public static LaunchSpec of(List<String> argv) {
        return new LaunchSpec(argv, Optional.empty(), Map.of(), Optional.empty());
    }
}
