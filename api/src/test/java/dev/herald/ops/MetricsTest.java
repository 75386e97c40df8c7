package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();

    @Test
    void prometheusShowsConnectionsStoredNotificationsAndDroppedFanoutEventsToAnAdmin() {
        Api api = herald.api();
        api.createUser("metrics-publisher", "publisher");
        api.createUser("metrics-reader");
        String publisher = api.login("metrics-publisher", Api.PASSWORD);
        String reader = api.login("metrics-reader", Api.PASSWORD);
        String admin = api.adminToken();
        double storedBefore = value(scrape(admin), "herald_notifications_stored_total");

        try (WsClient first = WsClient.withToken(api, reader); WsClient second = WsClient.withToken(api, reader)) {
            first.next("connected");
            second.next("connected");
            for (int i = 0; i < 3; i++) {
                assertThat(api.publish(publisher, Map.of("username", "metrics-reader", "type", "t", "title", "n" + i)).status())
                        .isEqualTo(201);
            }
            first.next("notification");

            String metrics = scrape(admin);

            assertThat(value(metrics, "herald_connections")).isEqualTo(2);
            assertThat(value(metrics, "herald_connected_users")).isEqualTo(1);
            assertThat(value(metrics, "herald_notifications_stored_total") - storedBefore).isEqualTo(3);
            assertThat(value(metrics, "herald_fanout_events_dropped_total")).as("nothing was too much for the fan-out").isZero();
            assertThat(metrics).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds_count");
        }
        assertThat(api.get("/prometheus", null).status()).as("not without a token").isEqualTo(401);
        assertThat(api.get("/prometheus", reader).status()).as("nor for a user who is not an admin").isEqualTo(403);
    }

    @Test
    void micronautsOtherManagementEndpointsAreOff() {
        Api api = herald.api();
        String admin = api.adminToken();
        for (String path : new String[] {"/beans", "/routes", "/threaddump", "/loggers", "/env", "/info"}) {
            assertThat(api.get(path, admin).status()).as(path).isEqualTo(404);
        }
        assertThat(api.post("/refresh", admin, Map.of()).status()).isEqualTo(404);
        assertThat(api.get("/health", null).status()).as("health stays on").isEqualTo(200);
    }

    private static String scrape(String token) {
        Api.Response response = herald.api().get("/prometheus", token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** The value of an untagged metric line, {@code name value}. */
    private static double value(String metrics, String name) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(metrics);
        assertThat(line.find()).as(name + " in\n" + metrics).isTrue();
        return Double.parseDouble(line.group(1));
    }
}
