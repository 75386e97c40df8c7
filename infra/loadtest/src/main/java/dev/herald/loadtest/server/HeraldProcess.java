package dev.herald.loadtest.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A herald.jar the load generator launched itself, so it knows the pid and the configuration. */
public final class HeraldProcess implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final Path log;

    private HeraldProcess(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** What to launch: the jar, JVM flags and the environment a benchmark server runs with. */
    public record Launch(Path jar, List<String> jvmFlags, Map<String, String> environment, Path log) {

        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags);
            command.add("-jar");
            command.add(jar.toString());
            return command;
        }
    }

    /** Starts the process and returns at once; {@link #awaitLive(Duration)} waits for it to serve. */
    public static HeraldProcess start(Launch launch, int port) {
        ProcessBuilder builder = new ProcessBuilder(launch.command());
        builder.environment().putAll(launch.environment());
        builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        builder.redirectErrorStream(true).redirectOutput(launch.log().toFile());
        try {
            return new HeraldProcess(builder.start(), URI.create("http://127.0.0.1:" + port), launch.log());
        } catch (IOException e) {
            throw new IllegalStateException("cannot launch " + launch.command(), e);
        }
    }

    public HeraldProcess awaitLive(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest liveness = HttpRequest.newBuilder(url.resolve("/health/liveness")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("herald.jar exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.send(liveness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(20);
        }
        throw new IllegalStateException("herald.jar not live within " + timeout + ":\n" + logTail());
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops it as an orchestrator would: SIGTERM, then SIGKILL if the graceful shutdown hangs. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
