package io.cronexecutor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the Liberty server that the build lays out ({@code pre-integration-test}), run
 * in the foreground as a child process with its own output directory, ports and environment.
 * Jobs come in through environment variables, exactly as an operator would configure them.
 */
public final class LibertyServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** Every instance gets these unless a test sets its own; requests sign in as the operator by default. */
    public static final String OPERATOR_PASSWORD = "operator-test-password";
    public static final String VIEWER_PASSWORD = "viewer-test-password";

    private final Process process;
    private final Path outputDir;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LibertyServerProcess(Process process, Path outputDir, int httpPort) {
        this.process = process;
        this.outputDir = outputDir;
        this.httpPort = httpPort;
    }

    /** Starts an instance named {@code id} and returns once its HTTP port answers (the application may still be starting). */
    public static LibertyServerProcess start(String id, Map<String, String> env) {
        return start(id, env, true);
    }

    /**
     * As {@link #start(String, Map)}; with {@code fresh} false the instance's output directory
     * (work area, caches, broker data) is kept from an earlier start, as on a restarted VM.
     */
    public static LibertyServerProcess start(String id, Map<String, String> env, boolean fresh) {
        Path installDir = Path.of(requiredProperty("liberty.install.dir"));
        String serverName = requiredProperty("liberty.server.name");
        Path outputDir = Path.of(requiredProperty("it.work.dir")).resolve(id);
        try {
            if (fresh) {
                deleteRecursively(outputDir); // no work area or log of an earlier run
            }
            Files.createDirectories(outputDir);
            int httpPort = freePort();
            int httpsPort = freePort();
            ProcessBuilder builder = new ProcessBuilder(installDir.resolve("bin/server").toString(), "run", serverName)
                    .redirectErrorStream(true)
                    .redirectOutput(outputDir.resolve("console.log").toFile());
            Map<String, String> environment = builder.environment();
            // A clean slate: no job or Pub/Sub setting of the machine running the build leaks in.
            environment.keySet().removeIf(k -> k.startsWith("JOBS") || k.startsWith("CRON_") || k.equals("PUBSUB_EMULATOR_HOST"));
            environment.put("WLP_OUTPUT_DIR", outputDir.toString());
            environment.put("HTTP_PORT", Integer.toString(httpPort));
            environment.put("HTTPS_PORT", Integer.toString(httpsPort));
            environment.put("CRON_API_OPERATOR_PASSWORD", OPERATOR_PASSWORD);
            environment.put("CRON_API_VIEWER_PASSWORD", VIEWER_PASSWORD);
            environment.putAll(env);
            LibertyServerProcess server = new LibertyServerProcess(builder.start(), outputDir, httpPort);
            // Should the test JVM itself be stopped, the server must not outlive it.
            Runtime.getRuntime().addShutdownHook(new Thread(server.process::destroyForcibly));
            server.awaitHttp();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the integration tests with `mvn verify`");
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitHttp() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Liberty exited with " + process.exitValue() + "; see " + consoleLog());
            }
            try {
                get("/health/started");
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException("Liberty did not start within " + START_TIMEOUT + "; see " + consoleLog());
    }

    /** Polls the URL until it answers with the status, or fails after the timeout. */
    public HttpResponse<String> awaitStatus(String path, int status, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (last.statusCode() == status) {
                return last;
            }
            sleep(250);
        }
        throw new AssertionError("GET " + path + " answered " + (last == null ? "nothing" : last.statusCode() + " " + last.body())
                + " instead of " + status + " within " + timeout);
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> post(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Sends the request signed in as the operator. */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        return sendAs("operator", OPERATOR_PASSWORD, request);
    }

    /** Sends the request with HTTP Basic credentials. */
    public HttpResponse<String> sendAs(String user, String password, HttpRequest.Builder request) throws IOException {
        String token = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return sendAnonymously(request.header("Authorization", "Basic " + token));
    }

    /** Sends the request without credentials. */
    public HttpResponse<String> sendAnonymously(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    public long pid() {
        return process.pid();
    }

    public Path consoleLog() {
        return outputDir.resolve("console.log");
    }

    public String consoleText() throws IOException {
        return Files.readString(consoleLog());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        process.destroy(); // SIGTERM: Liberty stops the application cleanly
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Environment for jobs: {@code job("echo", "command", "echo hi")} gives JOBS_ECHO_COMMAND. */
    public static Map<String, String> jobsEnv(String jobs, String... jobKeyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("JOBS", jobs);
        for (int i = 0; i < jobKeyValues.length; i += 3) {
            String name = "JOBS_" + jobKeyValues[i] + "_" + jobKeyValues[i + 1];
            env.put(name.toUpperCase().replace('-', '_').replace('.', '_'), jobKeyValues[i + 2]);
        }
        return env;
    }
}
