package io.cronexecutor.pubsub.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The official Cloud Pub/Sub emulator from the Google Cloud SDK, started as a child process on a
 * free port. Installed on some machines only; {@link #jar()} says whether it is here.
 */
public final class OfficialEmulator implements PubSubTarget {

    static final Path LIB = Path.of("/usr/lib/google-cloud-sdk/platform/pubsub-emulator/lib");

    private final Process process;
    private final int port;

    private OfficialEmulator(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The emulator's jar, if this machine has the Cloud SDK component installed. */
    public static Optional<Path> jar() {
        if (!Files.isDirectory(LIB)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(LIB, "cloud-pubsub-emulator-*.jar")) {
            for (Path jar : jars) {
                return Optional.of(jar);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static OfficialEmulator start(Path jar) {
        int port = freePort();
        Process process;
        try {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "--host=localhost", "--port=" + port)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the official Pub/Sub emulator", e);
        }
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.contains("Server started")) {
                        started.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the emulator went away; close() or the start timeout reports it
            }
        }, "pubsub-emulator-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!started.await(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the official Pub/Sub emulator did not start within 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the emulator", e);
        }
        return new OfficialEmulator(process, port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "official emulator";
    }

    @Override
    public String hostPort() {
        return "localhost:" + port;
    }

    @Override
    public boolean embedded() {
        return false;
    }

    @Override
    public void letLeasesLapse(int ackDeadlineSeconds) throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(ackDeadlineSeconds).plusMillis(1500).toMillis());
    }

    @Override
    public void passTime(Duration duration) {
        throw new UnsupportedOperationException("the official emulator's clock cannot be moved");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
