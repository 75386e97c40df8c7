package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import io.micronaut.core.type.Argument;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An ExpireEye client written with Python's {@code websockets} package (Debian's python3-websockets),
 * unchanged, against Herald: src/test/python/expireeye_client.py.
 */
class ExpireEyePythonClientTest {

    private static final String CLIENT = "src/test/python/expireeye_client.py";

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static String wsBase;

    @BeforeAll
    static void start() {
        api = herald.api();
        wsBase = api.base().toString().replaceFirst("^http", "ws").replaceFirst("/$", "");
    }

    @Test
    void aPythonClientWithoutTokenIsClosedWith1008() throws Exception {
        Process client = python(wsBase);
        try (BufferedReader output = reader(client)) {
            assertThat(step(output)).containsEntry("step", "closed").containsEntry("code", 1008)
                    .containsEntry("reason", "Access token required");
        }
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPythonClientGetsNotificationsAnswersPingAndMarksRead() throws Exception {
        api.createUser("publisher", "publisher");
        String publisher = api.login("publisher", Api.PASSWORD);
        long userId = api.createUser("python-user");
        String token = api.login("python-user", Api.PASSWORD);

        Process client = python(wsBase, token);
        try (BufferedReader output = reader(client);
             Writer input = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
            Map<String, Object> established = (Map<String, Object>) step(output).get("message");
            assertThat(established).containsEntry("type", "CONNECTION_ESTABLISHED").containsEntry("userId", (int) userId);
            assertThat(step(output)).containsEntry("step", "pong").containsEntry("text", "PONG");

            Api.Response published = api.publish(publisher, Map.of("username", "python-user", "type", "product_expiration",
                    "title", "Expired", "message", "Product Milk has expired",
                    "data", Map.of("productName", "Milk", "expiryDate", "2026-11-20")));
            String id = (String) published.json().get("id");
            input.write("go\n");
            input.flush();

            Map<String, Object> notification = (Map<String, Object>) step(output).get("message");
            assertThat(notification).containsEntry("id", id).containsEntry("type", "product_expiration")
                    .containsEntry("message", "Product Milk has expired").containsEntry("productName", "Milk")
                    .containsEntry("expiryDate", "2026-11-20").containsKey("timestamp");
            Map<String, Object> read = (Map<String, Object>) step(output).get("message");
            assertThat(read).containsEntry("type", "NOTIFICATION_READ");
        }
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).isZero();
        assertThat(api.get("/api/notifications/unread-count", token).json()).containsEntry("count", 0);
    }

    private static Process python(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 2];
        command[0] = "/usr/bin/python3";
        command[1] = CLIENT;
        System.arraycopy(arguments, 0, command, 2, arguments.length);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // A client stuck waiting must fail the test, not hang the build.
        CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(process::destroyForcibly);
        return process;
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static Map<String, Object> step(BufferedReader output) throws Exception {
        String line = output.readLine();
        assertThat(line).as("the Python client printed its next step").isNotNull();
        return api.json().readValue(line, Argument.mapOf(String.class, Object.class));
    }
}
