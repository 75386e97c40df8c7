package dev.herald.delivery;

import static dev.herald.WsClient.payload;
import static dev.herald.WsClient.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPublisher;
import dev.herald.WsClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NativeSocketTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static TestPublisher publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "ws-");
    }

    @Test
    void everyConnectionOfTheUserReceivesEachNotificationAndOtherUsersReceiveNothing() {
        String alice = publisher.newUser();
        String bob = publisher.newUser();
        String aliceToken = api.login(alice, Api.PASSWORD);
        List<WsClient> aliceDevices = List.of(WsClient.withToken(api, aliceToken), WsClient.withToken(api, aliceToken),
                WsClient.withToken(api, aliceToken));
        WsClient bobsDevice = WsClient.withToken(api, api.login(bob, Api.PASSWORD));
        aliceDevices.forEach(device -> assertThat(device.next().get("type")).isEqualTo("connected"));
        assertThat(bobsDevice.next().get("type")).isEqualTo("connected");

        for (int i = 1; i <= 3; i++) {
            publisher.publish(alice, "for alice " + i);
        }

        for (WsClient device : aliceDevices) {
            for (int i = 1; i <= 3; i++) {
                Map<String, Object> message = device.next();
                assertThat(message.get("type")).isEqualTo("notification");
                assertThat(payload(message)).containsEntry("seq", i).containsEntry("title", "for alice " + i)
                        .containsKeys("id", "type", "message", "data", "priority", "tags", "createdAt", "readAt");
            }
        }
        assertThat(bobsDevice.drain(Duration.ofMillis(500))).isEmpty();
        closeAll(aliceDevices);
        bobsDevice.close();
    }

    @Test
    void aResumeWhoseSinceIsNotAWholeSeqGetsAnErrorAndReplaysNothing() {
        String dave = publisher.newUser();
        publisher.publish(dave, "stored");
        WsClient device = WsClient.withToken(api, api.login(dave, Api.PASSWORD));
        assertThat(device.next().get("type")).isEqualTo("connected");

        device.sendText("{\"type\":\"resume\",\"since\":0.5}");
        assertThat(payload(device.next("error"))).containsEntry("code", "invalid_message");
        // 2^64 + 1: its low 64 bits are 1, which a wrapping conversion would take as since=1
        device.sendText("{\"type\":\"resume\",\"since\":18446744073709551617}");
        assertThat(payload(device.next("error"))).containsEntry("code", "invalid_message");

        assertThat(device.drain(Duration.ofMillis(500))).isEmpty();
        device.close();
    }

    @Test
    void connectedCarriesTheUsersCursor() {
        String carol = publisher.newUser();
        publisher.publish(carol, "one");
        publisher.publish(carol, "two");

        try (WsClient device = WsClient.withToken(api, api.login(carol, Api.PASSWORD))) {
            Map<String, Object> connected = device.next();

            assertThat(connected.get("type")).isEqualTo("connected");
            assertThat(payload(connected)).containsEntry("cursor", 2).containsKeys("userId", "connectionId", "serverTime");
            assertThat(device.drain(Duration.ofMillis(300))).as("no backlog without since").isEmpty();
        }
    }

    @Test
    void badCredentialsNeverReachAnOpenSocket() throws Exception {
        String dave = publisher.newUser();
        long daveId = userId(dave);
        Instant future = Instant.now().plus(Duration.ofMinutes(5));
        String expired = hs256(claims(dave, daveId, Instant.now().minus(Duration.ofMinutes(1))), HeraldServer.JWT_SECRET);
        String otherSecret = hs256(claims(dave, daveId, future), "another-secret-that-is-also-long-enough-for-hs256");
        String algNone = new PlainJWT(claims(dave, daveId, future)).serialize();

        assertRefused("/ws", Map.of());
        assertRefused("/ws", Map.of("Authorization", "Bearer " + expired));
        assertRefused("/ws", Map.of("Authorization", "Bearer " + otherSecret));
        assertRefused("/ws", Map.of("Authorization", "Bearer " + algNone));
        assertRefused("/ws?token=" + expired, Map.of());
        assertRefused("/ws?ticket=made-up", Map.of());

        String ticket = (String) api.post("/api/ws/tickets", api.login(dave, Api.PASSWORD), Map.of()).json().get("ticket");
        try (WsClient first = WsClient.connect(api, "/ws?ticket=" + ticket, Map.of())) {
            assertThat(payload(first.next("connected")).get("userId")).isEqualTo((int) daveId);
        }
        assertRefused("/ws?ticket=" + ticket, Map.of());
    }

    @Test
    void aTicketIsRefusedOnceTheTokenItWasIssuedForHasExpired() throws Exception {
        String frank = publisher.newUser();
        Instant expiry = Instant.now().plus(Duration.ofSeconds(2));
        String shortLived = hs256(claims(frank, userId(frank), expiry), HeraldServer.JWT_SECRET);
        Api.Response issued = api.post("/api/ws/tickets", shortLived, Map.of());
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String ticket = (String) issued.json().get("ticket");

        // The ticket itself has 30 s left, but it stands for a token that no longer holds.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 1_100);

        assertRefused("/ws?ticket=" + ticket, Map.of());
    }

    @Test
    void tokenInTheQueryStringIsAccepted() {
        String erin = publisher.newUser();
        try (WsClient device = WsClient.connect(api, "/ws?token=" + api.login(erin, Api.PASSWORD), Map.of())) {
            assertThat(device.next().get("type")).isEqualTo("connected");
        }
    }

    @Test
    void resumeDeliversExactlyWhatWasMissedInOrderThenReplayedThenLiveWhilePublishingContinues() throws Exception {
        String frank = publisher.newUser();
        String token = api.login(frank, Api.PASSWORD);
        long cursor;
        try (WsClient first = WsClient.withToken(api, token)) {
            cursor = ((Number) payload(first.next("connected")).get("cursor")).longValue();
        }
        for (int i = 0; i < 100; i++) {
            publisher.publish(frank, "missed " + i);
        }
        Thread publishing = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 50; i++) {
                publisher.publish(frank, "during resume " + i);
            }
        });

        try (WsClient resumed = WsClient.connect(api, "/ws?since=" + cursor, Map.of("Authorization", "Bearer " + token))) {
            assertThat(resumed.next().get("type")).isEqualTo("connected");
            List<Long> beforeReplayed = new ArrayList<>();
            Map<String, Object> message;
            while (!"replayed".equals((message = resumed.next()).get("type"))) {
                beforeReplayed.add(seq(message));
            }
            assertThat(beforeReplayed).hasSizeGreaterThanOrEqualTo(100)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, beforeReplayed.size()).boxed().toList());
            assertThat(payload(message)).containsEntry("from", 0).containsEntry("to", beforeReplayed.size());
            publishing.join();
            publisher.publish(frank, "live");
            List<Long> after = new ArrayList<>();
            for (Map<String, Object> live : resumed.drain(Duration.ofMillis(700))) {
                after.add(seq(live));
            }
            List<Long> all = new ArrayList<>(beforeReplayed);
            all.addAll(after);
            assertThat(all).as("every seq exactly once, in order").containsExactlyElementsOf(
                    LongStream.rangeClosed(1, 151).boxed().toList());
        }
    }

    @Test
    void resumeMessageReplaysFromTheGivenCursor() {
        String gina = publisher.newUser();
        for (int i = 0; i < 5; i++) {
            publisher.publish(gina, "n" + i);
        }
        try (WsClient device = WsClient.withToken(api, api.login(gina, Api.PASSWORD))) {
            device.next("connected");
            device.send(Map.of("type", "resume", "since", 2));

            assertThat(List.of(seq(device.next()), seq(device.next()), seq(device.next()))).containsExactly(3L, 4L, 5L);
            assertThat(payload(device.next())).containsEntry("from", 2).containsEntry("to", 5);
        }
    }

    @Test
    void markReadOnOneConnectionIsSeenOnTheUsersOtherConnections() throws Exception {
        String hank = publisher.newUser();
        String token = api.login(hank, Api.PASSWORD);
        try (WsClient phone = WsClient.withToken(api, token); WsClient laptop = WsClient.withToken(api, token)) {
            phone.next("connected");
            laptop.next("connected");
            String id = (String) payload(publishAndReceive(hank, phone, laptop)).get("id");

            phone.send(Map.of("type", "mark_read", "ids", List.of(id)));

            assertThat(payload(laptop.next("notification_read")).get("ids")).isEqualTo(List.of(id));
            assertThat(payload(phone.next("notification_read")).get("ids")).isEqualTo(List.of(id));
            assertThat(readAt(id)).isNotNull();

            publishAndReceive(hank, phone, laptop);
            api.post("/api/notifications/read-all", token, Map.of());
            assertThat(payload(phone.next("all_read")).get("upTo")).isEqualTo(2);
            assertThat(payload(laptop.next("all_read")).get("upTo")).isEqualTo(2);
        }
    }

    @Test
    void markingAnotherUsersNotificationChangesNothingAndRevealsNothing() throws Exception {
        String ivan = publisher.newUser();
        String judy = publisher.newUser();
        String judysId = (String) publisher.publish(judy, "judy's").json().get("id");
        try (WsClient ivansDevice = WsClient.withToken(api, api.login(ivan, Api.PASSWORD));
             WsClient judysDevice = WsClient.withToken(api, api.login(judy, Api.PASSWORD))) {
            ivansDevice.next("connected");
            judysDevice.next("connected");

            ivansDevice.send(Map.of("type", "mark_read", "ids", List.of(judysId)));
            Map<String, Object> theirs = payload(ivansDevice.next("error"));
            ivansDevice.send(Map.of("type", "mark_read", "ids", List.of(UUID.randomUUID().toString())));
            Map<String, Object> nowhere = payload(ivansDevice.next("error"));

            assertThat(theirs).isEqualTo(nowhere).containsEntry("code", "not_found");
            assertThat(readAt(judysId)).isNull();
            assertThat(judysDevice.drain(Duration.ofMillis(400))).isEmpty();
        }
    }

    @Test
    void malformedOrUnknownMessagesGetAnErrorAndTheConnectionStaysOpen() {
        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");

            device.sendText("{not json");
            assertThat(payload(device.next("error"))).containsEntry("code", "invalid_message");
            device.sendText("[1,2,3]");
            assertThat(payload(device.next("error"))).containsEntry("code", "invalid_message");
            device.send(Map.of("type", "launch_rockets"));
            assertThat(payload(device.next("error"))).containsEntry("code", "unknown_type");
            device.send(Map.of("type", "mark_read", "ids", List.of("not-a-uuid")));
            assertThat(payload(device.next("error"))).containsEntry("code", "invalid_message");

            device.send(Map.of("type", "ping"));
            assertThat(device.next().get("type")).isEqualTo("pong");
            assertThat(device.isClosed()).isFalse();
        }
    }

    @Test
    void oversizedFrameClosesWith1009() {
        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");

            device.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");

            assertThat(device.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1009);
        }
    }

    @Test
    void floodGetsAnErrorThenACloseWith1008() {
        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");

            // Bursts over the limit until the server closes; however slowly this machine sends, a flood
            // that lasts is closed within a few seconds. Pausing between bursts lets the close frame in.
            for (int burst = 0; burst < 10 && !device.isClosed(); burst++) {
                for (int i = 0; i < 101; i++) {
                    device.sendText("{\"type\":\"ping\"}");
                }
                device.awaitCloseQuietly(Duration.ofMillis(400));
            }
            WsClient.Closed closed = device.awaitClose(Duration.ofSeconds(10));
            List<Map<String, Object>> received = device.drain(Duration.ofMillis(200));
            assertThat(received).extracting(message -> message.get("type")).contains("pong", "error");
            assertThat(received).filteredOn(message -> "error".equals(message.get("type")))
                    .allSatisfy(error -> assertThat(payload(error)).containsEntry("code", "rate_limited"));
            assertThat(closed.code()).as(closed.reason()).isEqualTo(1008);
        }
    }

    @Test
    void moreConnectionsThanAllowedPerUserAreClosedWith4029() {
        String token = api.login(publisher.newUser(), Api.PASSWORD);
        List<WsClient> devices = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            WsClient device = WsClient.withToken(api, token);
            device.next("connected");
            devices.add(device);
        }

        try (WsClient eleventh = WsClient.withToken(api, token)) {
            assertThat(eleventh.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4029);
        }
        assertThat(devices).noneMatch(WsClient::isClosed);
        closeAll(devices);
    }

    @Test
    void browserFromAForeignOriginIsRefusedAtTheHandshake() {
        String token = api.login(publisher.newUser(), Api.PASSWORD);

        assertThatThrownBy(() -> WsClient.connect(api, "/ws?token=" + token, Map.of("Origin", "https://evil.example")))
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, refused -> assertThat(refused.status()).isEqualTo(403));
        String ownOrigin = "http://" + api.base().getAuthority();
        try (WsClient sameOrigin = WsClient.connect(api, "/ws?token=" + token, Map.of("Origin", ownOrigin))) {
            assertThat(sameOrigin.next().get("type")).isEqualTo("connected");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------


    private static Map<String, Object> publishAndReceive(String username, WsClient... devices) {
        publisher.publish(username, "x");
        Map<String, Object> first = null;
        for (WsClient device : devices) {
            first = device.next("notification");
        }
        return first;
    }

    private static void assertRefused(String pathAndQuery, Map<String, String> headers) {
        assertThatThrownBy(() -> WsClient.connect(api, pathAndQuery, headers))
                .as(pathAndQuery + " " + headers.keySet())
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, refused -> assertThat(refused.status()).isEqualTo(401));
    }

    private static long userId(String username) {
        return ((Number) api.get("/api/users/me", api.login(username, Api.PASSWORD)).json().get("id")).longValue();
    }

    private static JWTClaimsSet claims(String username, long userId, Instant expiry) {
        return new JWTClaimsSet.Builder().subject(username).issuer("herald").claim("uid", userId)
                .claim("roles", List.of("user")).expirationTime(Date.from(expiry)).build();
    }

    private static String hs256(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static Object readAt(String id) throws Exception {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT read_at FROM notification WHERE id = ?")) {
            query.setObject(1, UUID.fromString(id));
            ResultSet rs = query.executeQuery();
            assertThat(rs.next()).isTrue();
            return rs.getObject(1);
        }
    }

    private static void closeAll(List<WsClient> clients) {
        clients.forEach(WsClient::close);
    }
}
