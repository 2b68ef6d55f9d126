package io.cronexecutor.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the file a command's first word names, the way execvp would: a word with a slash is a
 * path (relative to the working directory), any other word is looked up on the PATH the command
 * will have. Failing here gives the usual "cannot run program" error before anything starts.
 */
final class ProgramResolver {

    private ProgramResolver() {
    }

    static Path resolve(LaunchSpec spec) throws IOException {
        String program = spec.argv().get(0);
        if (program.contains("/")) {
            Path path = spec.workingDir().map(dir -> dir.resolve(program)).orElse(Path.of(program));
            if (!Files.isExecutable(path) || Files.isDirectory(path)) {
                throw new IOException("Cannot run program \"" + program + "\": "
                        + (!Files.exists(path) ? "no such file" : Files.isDirectory(path) ? "is a directory" : "not executable"));
            }
            return path;
        }
        String pathVariable = spec.environment().getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
        for (String dir : pathVariable.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IOException("Cannot run program \"" + program + "\": not found on PATH");
    }
}
