package dev.herald.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code java -jar herald.jar expiry-check}, run as a cron job would run it: the built jar in a process of
 * its own, pointed at a database by the standard environment variables. Runs after {@code package}.
 */
class ExpiryCheckCommandIT {

    static final Path JAR = Path.of("target", "herald.jar");

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.inventory.scheduled-checks", false,
            // As replicas run: told of other processes' changes over PostgreSQL, with no catch-up to hide a miss.
            "herald.fanout.transport", "postgres", "herald.fanout.reconcile-interval", "1h"));

    record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void theCommandRunsOneCheckPrintsASummaryAndExitsWithZeroThenFindsNothingMoreToDo() throws Exception {
        Api api = herald.api();
        long owner = api.createUser("cron-owner");
        String token = api.login("cron-owner", Api.PASSWORD);
        Instant now = Instant.now();
        api.post("/api/products", token, Map.of("name", "Stale bread", "expiryDate", now.minus(Duration.ofHours(2)).toString()));
        api.post("/api/products", token, Map.of("name", "Ripe pear", "expiryDate", now.plus(Duration.ofDays(1)).toString()));
        api.post("/api/products", token, Map.of("name", "Rice", "expiryDate", now.plus(Duration.ofDays(300)).toString()));
        String url;
        try (Connection db = herald.db()) {
            url = db.getMetaData().getURL();
        }

        WsClient device = WsClient.withToken(api, token);
        device.next("connected");

        Run first = expiryCheck(url);
        Run second = expiryCheck(url);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("expiry-check: warned=1 expired=1");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).contains("expiry-check: warned=0 expired=0");
        assertThat(typesNotified(owner)).containsExactlyInAnyOrder("product_expiration", "product_expiring");
        List<Object> live = List.of(WsClient.payload(device.next("notification")).get("type"),
                WsClient.payload(device.next("notification")).get("type"));
        assertThat(live).as("the server's device heard of the command's notices at once")
                .containsExactlyInAnyOrder("product_expiration", "product_expiring");
        device.close();
    }

    @Test
    void theCommandExitsNonZeroWhenTheDatabaseCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Run run = expiryCheck("jdbc:postgresql://127.0.0.1:" + closedPort + "/nowhere");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("expiry-check failed");
        assertThat(run.stdout()).doesNotContain("expiry-check: warned=");
    }

    private static Run expiryCheck(String jdbcUrl) throws IOException, InterruptedException {
        assertThat(JAR).as("the runnable jar, built by package").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString(), "expiry-check");
        builder.environment().put("DATASOURCES_DEFAULT_URL", jdbcUrl);
        builder.environment().put("DATASOURCES_DEFAULT_USERNAME", "postgres");
        builder.environment().put("DATASOURCES_DEFAULT_PASSWORD", "postgres");
        builder.environment().put("HERALD_LOG_LEVEL", "WARN");
        Path stdout = Files.createTempFile("expiry-check", ".out");
        Path stderr = Files.createTempFile("expiry-check", ".err");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("expiry-check did not exit within two minutes");
        }
        Run run = new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        Files.delete(stdout);
        Files.delete(stderr);
        return run;
    }

    private static List<String> typesNotified(long userId) throws Exception {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT type FROM notification WHERE user_id = ?")) {
            query.setLong(1, userId);
            ResultSet rs = query.executeQuery();
            List<String> types = new ArrayList<>();
            while (rs.next()) {
                types.add(rs.getString(1));
            }
            return types;
        }
    }
}
