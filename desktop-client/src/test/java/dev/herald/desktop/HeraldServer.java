package dev.herald.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Herald server for end-to-end tests: the api module's runnable jar in its own process, with its
 * embedded PostgreSQL in a directory of the test's choosing, so a stop and start keeps the data.
 */
final class HeraldServer implements AutoCloseable {

    static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDirectory;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> extraEnvironment = new java.util.HashMap<>();
    private Process process;

    HeraldServer(Path dataDirectory) throws IOException {
        this.dataDirectory = dataDirectory;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    /** A started server in {@code directory} with one signed-up user, plus any extra settings. */
    static HeraldServer startedWithUser(Path directory, String username, String password, Map<String, String> settings)
            throws Exception {
        HeraldServer server = new HeraldServer(Files.createDirectories(directory));
        settings.forEach(server::with);
        server.start();
        server.createUser(username, password);
        return server;
    }

    /** Extra settings for the next start, e.g. a short access-token lifetime. */
    HeraldServer with(String variable, String value) {
        extraEnvironment.put(variable, value);
        return this;
    }

    URI uri() {
        return URI.create("http://localhost:" + port);
    }

    void start() throws Exception {
        Path jar = Path.of(System.getProperty("herald.server.jar", "../api/target/herald.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Build the server first (mvn package in the reactor): " + jar.toAbsolutePath());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString());
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        builder.environment().put("HERALD_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().put("HERALD_JWT_SECRET", "desktop-client-end-to-end-tests-secret-0123456789");
        builder.environment().put("HERALD_OPS_EMBEDDED_DATA_DIR", dataDirectory.resolve("postgres").toString());
        builder.environment().put("HERALD_AUTH_BCRYPT_COST", "4");
        builder.environment().put("HERALD_DELIVERY_SHUTDOWN_GRACE", "2s");
        builder.environment().putAll(extraEnvironment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("server.log").toFile()));
        process = builder.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Herald exited with " + process.exitValue() + "; see " + dataDirectory.resolve("server.log"));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri().resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Herald did not become healthy; see " + dataDirectory.resolve("server.log"));
    }

    /** SIGTERM: Herald's graceful shutdown (sockets get 1001, the database stops cleanly). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    String login(String username, String password) throws Exception {
        return post("/api/auth/login", null, Map.of("username", username, "password", password)).path("access_token").asText();
    }

    String adminToken() throws Exception {
        return login("admin", ADMIN_PASSWORD);
    }

    void createUser(String username, String password) throws Exception {
        post("/api/users", adminToken(), Map.of("username", username, "password", password, "roles", List.of("user")));
    }

    JsonNode publish(String username, String title, String message, int priority) throws Exception {
        return post("/api/notifications", adminToken(), Map.of("username", username, "type", "test", "title", title,
                "message", message, "priority", priority));
    }

    void markRead(String token, String id) throws Exception {
        post("/api/notifications/read", token, Map.of("ids", List.of(id)));
    }

    JsonNode notification(String token, String id) throws Exception {
        return get("/api/notifications/" + id, token);
    }

    JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri().resolve(path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    JsonNode post(String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
