package dev.herald.fanout;

import static dev.herald.WsClient.payload;
import static dev.herald.WsClient.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node killed outright (SIGKILL: no shutdown, no close frames): its clients reconnect to another node
 * and resume from their cursor with nothing lost and nothing twice. The victim is the built jar in a
 * process of its own, sharing the survivor's database. Runs after {@code package}.
 */
class NodeKillIT {

    static final Path JAR = Path.of("target", "herald.jar");

    @RegisterExtension
    static final HeraldServer survivor = new HeraldServer(Map.of("herald.fanout.transport", "postgres"));

    @Test
    void clientsOfAKilledNodeResumeOnAnotherWithNothingLostOrRepeated() throws Exception {
        Api api = survivor.api();
        api.createUser("publisher", "publisher");
        api.createUser("mobile");
        String publisher = api.login("publisher", Api.PASSWORD);
        String token = api.login("mobile", Api.PASSWORD);
        Process victim = startVictim();
        try {
            Api onVictim = new Api(URI.create("http://127.0.0.1:" + victimPort + "/"), survivor.bean(ApplicationContext.class));
            WsClient device = WsClient.withToken(onVictim, token);
            WsClient stayer = WsClient.withToken(api, token);
            device.next("connected");
            stayer.next("connected");

            api.publish(publisher, Map.of("username", "mobile", "type", "t", "title", "one"));
            long lastSeen = seq(device.next("notification"));
            assertThat(lastSeen).as("crossed from the survivor to the victim").isEqualTo(1);

            victim.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            device.awaitCloseQuietly(Duration.ofSeconds(10));
            api.publish(publisher, Map.of("username", "mobile", "type", "t", "title", "two"));
            api.publish(publisher, Map.of("username", "mobile", "type", "t", "title", "three"));

            WsClient resumed = WsClient.connect(api, "/ws?since=" + lastSeen, Map.of("Authorization", "Bearer " + token));
            List<Long> seqs = new ArrayList<>();
            seqs.add(seq(resumed.next("notification")));
            seqs.add(seq(resumed.next("notification")));
            assertThat(payload(resumed.next("replayed"))).containsEntry("from", 1);
            api.publish(publisher, Map.of("username", "mobile", "type", "t", "title", "four"));
            seqs.add(seq(resumed.next("notification")));

            assertThat(seqs).containsExactly(2L, 3L, 4L);
            assertThat(resumed.drain(Duration.ofMillis(400))).isEmpty();
            List<Long> stayerSeqs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                stayerSeqs.add(seq(stayer.next("notification")));
            }
            assertThat(stayerSeqs).as("the survivor's own client saw it all").containsExactly(1L, 2L, 3L, 4L);
            resumed.close();
            stayer.close();
        } finally {
            victim.destroyForcibly();
        }
    }

    private static int victimPort;

    private static Process startVictim() throws Exception {
        assertThat(JAR).as("the runnable jar, built by package").exists();
        try (ServerSocket socket = new ServerSocket(0)) {
            victimPort = socket.getLocalPort();
        }
        String url;
        try (Connection db = survivor.db()) {
            url = db.getMetaData().getURL();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString());
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(victimPort));
        builder.environment().put("DATASOURCES_DEFAULT_URL", url);
        builder.environment().put("DATASOURCES_DEFAULT_USERNAME", "postgres");
        builder.environment().put("DATASOURCES_DEFAULT_PASSWORD", "postgres");
        builder.environment().put("HERALD_JWT_SECRET", HeraldServer.JWT_SECRET);
        builder.environment().put("HERALD_FANOUT_TRANSPORT", "postgres");
        builder.environment().put("HERALD_INVENTORY_SCHEDULED_CHECKS", "false");
        Path log = Files.createTempFile("herald-victim", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + victimPort + "/health/liveness")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(process.isAlive()).as("the victim node started (log: %s)", log).isTrue();
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("The victim node did not become healthy within 60 s; log: " + log);
    }
}
