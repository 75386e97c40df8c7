package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPublisher;
import dev.herald.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExpireEyeDialectTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.delivery.ping-interval", "1s",
            "herald.delivery.pong-timeout", "2s",
            "herald.delivery.sweep-interval", "200ms"));
    static Api api;
    static TestPublisher publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "ee-");
    }

    @Test
    void aMissingTokenClosesWith1008AccessTokenRequired() {
        try (WsClient client = WsClient.connect(api, "/api/ws/notification", Map.of())) {
            assertThat(client.awaitClose(Duration.ofSeconds(5)))
                    .isEqualTo(new WsClient.Closed(1008, "Access token required"));
        }
    }

    @Test
    void aBadTokenClosesWith1008() {
        try (WsClient client = WsClient.connect(api, "/api/ws/notification?access_token=not-a-jwt", Map.of())) {
            assertThat(client.awaitClose(Duration.ofSeconds(5)))
                    .isEqualTo(new WsClient.Closed(1008, "Invalid or expired access token"));
        }
    }

    @Test
    void connectionEstablishedThenNotificationsAsFlatObjects() {
        String alice = publisher.newUser();
        String token = api.login(alice, Api.PASSWORD);
        try (WsClient client = WsClient.connect(api, "/api/ws/notification?access_token=" + token, Map.of())) {
            Map<String, Object> established = client.next();
            assertThat(established).containsEntry("type", "CONNECTION_ESTABLISHED")
                    .containsEntry("message", "Notification WebSocket connected")
                    .containsEntry("userId", (int) userId(token));

            String id = publish(alice, "product_expiration", "Milk has expired",
                    Map.of("productName", "Milk", "expiryDate", "2026-11-20"));
            Map<String, Object> notification = client.next();

            assertThat(notification).containsEntry("id", id).containsEntry("type", "product_expiration")
                    .containsEntry("message", "Milk has expired").containsEntry("productName", "Milk")
                    .containsEntry("expiryDate", "2026-11-20").containsKey("timestamp")
                    .doesNotContainKey("payload");
        }
    }

    @Test
    void productScansComeAsProductScannedWithTheirData() {
        String bob = publisher.newUser();
        try (WsClient client = WsClient.connect(api, "/api/ws/notification?access_token=" + api.login(bob, Api.PASSWORD),
                Map.of())) {
            client.next("CONNECTION_ESTABLISHED");
            publish(bob, "product_scanned", "Scanned Yoghurt", Map.of("productName", "Yoghurt", "barcode", "4006381333931"));

            Map<String, Object> scan = client.next();
            assertThat(scan).containsEntry("type", "Product_Scanned").containsEntry("message", "Scanned Yoghurt");
            assertThat(scan.get("data")).isEqualTo(Map.of("productName", "Yoghurt", "barcode", "4006381333931"));
        }
    }

    @Test
    void pingIsAnsweredWithPong() {
        String carol = publisher.newUser();
        try (WsClient client = WsClient.connect(api, "/api/ws/notification?access_token=" + api.login(carol, Api.PASSWORD),
                Map.of())) {
            client.next("CONNECTION_ESTABLISHED");
            client.sendText("PING");

            assertThat(client.next()).isEqualTo(Map.of(WsClient.TEXT, "PONG"));
        }
    }

    @Test
    void markReadMarksTheCallersNotificationAndTellsEveryDevice() throws Exception {
        String dave = publisher.newUser();
        String token = api.login(dave, Api.PASSWORD);
        try (WsClient client = WsClient.connect(api, "/api/ws/notification?access_token=" + token, Map.of());
             WsClient nativeDevice = WsClient.withToken(api, token)) {
            client.next("CONNECTION_ESTABLISHED");
            nativeDevice.next("connected");
            String id = publish(dave, "test", "read me", Map.of());
            client.next();
            nativeDevice.next("notification");

            client.send(Map.of("action", "mark_read", "id", id));

            assertThat(client.next("NOTIFICATION_READ").get("ids")).isEqualTo(java.util.List.of(id));
            assertThat(WsClient.payload(nativeDevice.next("notification_read")).get("ids")).isEqualTo(java.util.List.of(id));
            assertThat(api.get("/api/notifications/" + id, token).json().get("readAt")).isNotNull();
        }
    }

    @Test
    void markReadOfAnotherUsersNotificationIsNotFoundAndChangesNothing() {
        String erin = publisher.newUser();
        String frank = publisher.newUser();
        String erinsId = publish(erin, "test", "erin's", Map.of());
        try (WsClient franks = WsClient.connect(api, "/api/ws/notification?access_token=" + api.login(frank, Api.PASSWORD),
                Map.of())) {
            franks.next("CONNECTION_ESTABLISHED");
            franks.send(Map.of("action", "mark_read", "id", erinsId));
            Map<String, Object> error = franks.next("ERROR");
            assertThat(error).containsEntry("code", "not_found");

            franks.send(Map.of("action", "mark_read", "id", UUID.randomUUID().toString()));
            assertThat(franks.next("ERROR")).containsEntry("code", "not_found").containsEntry("message", error.get("message"));
        }
        assertThat(api.get("/api/notifications/" + erinsId, api.login(erin, Api.PASSWORD)).json().get("readAt")).isNull();
    }

    @Test
    void malformedMessagesGetAnErrorAndTheConnectionStays() {
        String grace = publisher.newUser();
        try (WsClient client = WsClient.connect(api, "/api/ws/notification?access_token=" + api.login(grace, Api.PASSWORD),
                Map.of())) {
            client.next("CONNECTION_ESTABLISHED");
            client.sendText("hello?");
            assertThat(client.next("ERROR")).containsEntry("code", "invalid_message");
            client.send(Map.of("action", "delete_everything"));
            assertThat(client.next("ERROR")).containsEntry("code", "unknown_action");
            client.send(Map.of("action", "mark_read", "id", 42));
            assertThat(client.next("ERROR")).containsEntry("code", "invalid_message");

            client.sendText("PING");
            assertThat(client.next()).isEqualTo(Map.of(WsClient.TEXT, "PONG"));
        }
    }

    @Test
    void keepAliveUsesPingFramesThatClientsAnswerByThemselves() throws Exception {
        String heidi = publisher.newUser();
        try (WsClient client = WsClient.connect(api, "/api/ws/notification?access_token=" + api.login(heidi, Api.PASSWORD),
                Map.of())) {
            client.next("CONNECTION_ESTABLISHED");
            Thread.sleep(4_000); // past ping interval + pong timeout

            assertThat(client.pingFrames()).isGreaterThanOrEqualTo(1);
            assertThat(client.isClosed()).as("answered pings keep the connection").isFalse();
        }
    }

    @Test
    void notificationsOfOneUserNeverReachAnother() {
        String ivan = publisher.newUser();
        String judy = publisher.newUser();
        try (WsClient ivans = WsClient.connect(api, "/api/ws/notification?access_token=" + api.login(ivan, Api.PASSWORD),
                Map.of())) {
            ivans.next("CONNECTION_ESTABLISHED");
            publish(judy, "test", "judy's", Map.of());
            assertThat(ivans.drain(Duration.ofMillis(500))).isEmpty();
        }
    }

    private static long userId(String token) {
        return ((Number) api.get("/api/users/me", token).json().get("id")).longValue();
    }

    static String publish(String username, String type, String message, Map<String, Object> data) {
        return (String) publisher.publish(Map.of("username", username, "type", type, "title", message,
                "message", message, "data", data)).json().get("id");
    }
}
