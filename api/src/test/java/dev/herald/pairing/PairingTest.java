package dev.herald.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.SseClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class PairingTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static DevicePairing pairing;
    static long aliceId;

    @BeforeAll
    static void createUsers() {
        api = herald.api();
        pairing = new DevicePairing(herald);
        aliceId = api.createUser("alice");
        api.createUser("bob");
    }

    @Test
    void scanSignsTheDeviceInAsTheScanningUser() throws Exception {
        DevicePairing.Created created = pairing.create();
        assertThat(created.qrToken()).isNotBlank();
        assertThat(created.expiresAt()).isNotBlank();

        HttpResponse<byte[]> png = pairing.qrPng(created.pairingId() + "/qr.png");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("image/png"));
        assertThat(DevicePairing.image(png.body()).getWidth()).isEqualTo(300);
        assertThat(DevicePairing.decodeQr(png.body())).isEqualTo(created.qrToken());

        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.status()).isEqualTo(200);
            assertThat(device.response().headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(device.response().headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(device.response().headers().firstValue("x-accel-buffering")).hasValue("no");
            SseClient.SseEvent connection = device.next();
            assertThat(connection.event()).isEqualTo("connection");
            assertThat(device.data(connection)).containsEntry("pairingId", created.pairingId()).containsKey("expiresAt");

            Api.Response scan = pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken());
            assertThat(scan.status()).as(scan.body()).isEqualTo(200);
            assertThat(scan.json()).containsEntry("pairingId", created.pairingId()).containsEntry("status", "paired");

            SseClient.SseEvent started = device.next();
            assertThat(started.event()).isEqualTo("session-started");
            Map<String, Object> session = device.data(started);
            assertThat(session).containsEntry("token_type", "Bearer").containsEntry("expires_in", 900)
                    .containsEntry("username", "alice").containsEntry("userId", (int) aliceId);
            assertThat(device.awaitEnd(Duration.ofSeconds(5))).as("the stream ends after the session").isTrue();

            Api.Response me = api.get("/api/users/me", (String) session.get("access_token"));
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json()).containsEntry("username", "alice");
            assertThat(claimsOf((String) session.get("access_token"))).contains("\"device_session\":true");
            Api.Response refreshed = api.post("/api/auth/refresh", null, Map.of("refresh_token", session.get("refresh_token")));
            assertThat(refreshed.status()).isEqualTo(200);
            assertThat(api.get("/api/users/me", (String) refreshed.json().get("access_token")).json())
                    .containsEntry("username", "alice");
            assertThat(claimsOf((String) refreshed.json().get("access_token"))).contains("\"device_session\":true");
        }
    }

    @Test
    void aHandOverThatFailsIsRetriedAndItsLogLineNeverNamesThePairing() throws Exception {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(captured);
        // Completing the pairing fails, as a database hiccup would make it.
        try (Connection db = herald.db(); Statement statement = db.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION refuse_completion() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'completion refused'; END $$""");
            statement.execute("""
                    CREATE TRIGGER refuse_completion BEFORE UPDATE ON pairing FOR EACH ROW
                    WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION refuse_completion()""");
        }
        DevicePairing.Created created = pairing.create();
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.next().event()).isEqualTo("connection");
            assertThat(pairing.scan(api.login("bob", Api.PASSWORD), created.qrToken()).status()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (captured.list.stream().noneMatch(line -> line.getFormattedMessage().contains("Could not complete"))) {
                assertThat(System.nanoTime()).as("the failed hand-over is logged").isLessThan(deadline);
                Thread.sleep(50);
            }
            try (Connection db = herald.db(); Statement statement = db.createStatement()) {
                statement.execute("DROP TRIGGER refuse_completion ON pairing");
            }

            assertThat(device.next().event()).as("the next check hands over").isEqualTo("session-started");
        } finally {
            root.detachAppender(captured);
        }
        // Whoever holds the id may collect the tokens until the pairing expires: it stays out of the log.
        assertThat(captured.list).noneSatisfy(line -> assertThat(line.getFormattedMessage()
                + (line.getThrowableProxy() == null ? "" : line.getThrowableProxy().getMessage()))
                .contains(created.pairingId()));
    }

    @Test
    void streamCarriesNothingBeforeTheScan() {
        DevicePairing.Created created = pairing.create();
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.next().event()).isEqualTo("connection");

            assertThat(device.drain(2_500)).as("events across several checks").isEmpty();
            assertThat(device.awaitEnd(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void scanSeenOnlyInTheDatabaseReachesTheDeviceWithinACheck() throws Exception {
        DevicePairing.Created created = pairing.create("Hall kiosk");
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.next().event()).isEqualTo("connection");

            // What a scan on another replica leaves behind: a claim in the database and no event on this node.
            try (Connection db = herald.db(); PreparedStatement claim = db.prepareStatement(
                    "UPDATE pairing SET claimed_by = ?, claimed_at = now() WHERE id = ?::uuid")) {
                claim.setLong(1, aliceId);
                claim.setString(2, created.pairingId());
                assertThat(claim.executeUpdate()).isEqualTo(1);
            }

            SseClient.SseEvent started = device.next();
            assertThat(started.event()).isEqualTo("session-started");
            assertThat(device.data(started)).containsEntry("username", "alice");
            assertThat(device.awaitEnd(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(pairing.deviceSessionsLabelled("Hall kiosk")).isEqualTo(1);
    }

    @Test
    void scanBeforeTheStreamOpensDeliversTheSessionOnceWhenItOpens() throws Exception {
        DevicePairing.Created created = pairing.create("Late listener");
        assertThat(pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken()).status()).isEqualTo(200);

        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.status()).isEqualTo(200);
            assertThat(device.next().event()).isEqualTo("connection");
            SseClient.SseEvent started = device.next();
            assertThat(started.event()).isEqualTo("session-started");
            assertThat(api.get("/api/users/me", (String) device.data(started).get("access_token")).json())
                    .containsEntry("username", "alice");
            assertThat(device.awaitEnd(Duration.ofSeconds(5))).isTrue();
        }
        try (SseClient again = pairing.listen(created.pairingId())) {
            assertThat(again.status()).as("a completed pairing").isEqualTo(404);
        }
        Thread.sleep(1_500); // a check or two, which must not issue anything more
        assertThat(pairing.deviceSessionsLabelled("Late listener")).isEqualTo(1);
    }

    @Test
    void reusedQrTokenGets401AndStartsNoSecondSession() throws Exception {
        DevicePairing.Created created = pairing.create("Reused");
        assertThat(pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken()).status()).isEqualTo(200);

        Api.Response again = pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken());
        Api.Response byBob = pairing.scan(api.login("bob", Api.PASSWORD), created.qrToken());

        assertInvalidQrCode(again);
        assertInvalidQrCode(byBob);
        assertThat(pairing.count("SELECT count(*) FROM pairing WHERE id = ?::uuid AND claimed_by = "
                + aliceId, created.pairingId())).as("still alice's").isEqualTo(1);
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.next("session-started").data()).contains("\"username\":\"alice\"");
        }
        assertThat(pairing.deviceSessionsLabelled("Reused")).isEqualTo(1);
    }

    @Test
    void qrTokenSignedWithAnotherKeyOrTamperedWithGets401AndChangesNothing() throws Exception {
        DevicePairing.Created created = pairing.create();
        SignedJWT genuine = SignedJWT.parse(created.qrToken());
        SignedJWT forged = new SignedJWT(genuine.getHeader(), genuine.getJWTClaimsSet());
        forged.sign(new MACSigner("another-secret-that-is-also-long-enough-for-hs256"));
        SignedJWT withServersAccessTokenKey = new SignedJWT(genuine.getHeader(), genuine.getJWTClaimsSet());
        withServersAccessTokenKey.sign(new MACSigner(HeraldServer.JWT_SECRET));
        String[] parts = created.qrToken().split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("herald-pairing", "herald-pairinh").getBytes())
                + "." + parts[2];
        String alice = api.login("alice", Api.PASSWORD);

        assertInvalidQrCode(pairing.scan(alice, forged.serialize()));
        assertInvalidQrCode(pairing.scan(alice, withServersAccessTokenKey.serialize()));
        assertInvalidQrCode(pairing.scan(alice, tampered));
        assertInvalidQrCode(pairing.scan(alice, "not-a-token"));

        assertThat(pairing.claimed(created.pairingId())).isFalse();
        assertThat(pairing.scan(alice, created.qrToken()).status()).as("the genuine code still works").isEqualTo(200);
    }

    @Test
    void accessTokenIsNoQrTokenAndQrTokenIsNoAccessToken() throws Exception {
        DevicePairing.Created created = pairing.create();
        String alice = api.login("alice", Api.PASSWORD);

        assertInvalidQrCode(pairing.scan(alice, alice));
        assertThat(api.get("/api/users/me", created.qrToken()).status()).isEqualTo(401);
        assertThat(pairing.scan(created.qrToken(), created.qrToken()).status()).isEqualTo(401);
        assertThat(pairing.claimed(created.pairingId())).isFalse();
    }

    @Test
    void scanWithoutSignInGets401() throws Exception {
        DevicePairing.Created created = pairing.create();

        assertThat(pairing.scan(null, created.qrToken()).status()).isEqualTo(401);
        assertThat(pairing.claimed(created.pairingId())).isFalse();
    }

    @Test
    void missingOrBlankQrTokenGets400NamingTheFieldAndChangesNothing() throws Exception {
        DevicePairing.Created created = pairing.create();
        String alice = api.login("alice", Api.PASSWORD);

        for (Api.Response response : List.of(api.post("/api/pairings/scan", alice, Map.of()),
                api.post("/api/pairings/scan", alice, Map.of("qrToken", "  ")))) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"field\":\"qrToken\"");
        }
        assertThat(pairing.claimed(created.pairingId())).isFalse();
    }

    @Test
    void deviceSessionIsListedAndRevocableAndThenItsRefreshTokenGets401() {
        DevicePairing.Created created = pairing.create("Kitchen kiosk");
        String alice = api.login("alice", Api.PASSWORD);
        Map<String, Object> session = pairedSession(created, alice);

        Map<String, Object> listed = deviceSessionLabelled(alice, "Kitchen kiosk");
        assertThat(listed).containsEntry("deviceSession", true).containsKeys("id", "createdAt", "lastUsedAt");
        assertThat(api.get("/api/auth/sessions", alice).items()).as("the password sign-ins are listed too")
                .anySatisfy(item -> assertThat(item).containsEntry("deviceSession", false));

        assertThat(api.delete("/api/auth/sessions/" + listed.get("id"), alice).status()).isEqualTo(204);

        assertThat(api.post("/api/auth/refresh", null, Map.of("refresh_token", session.get("refresh_token"))).status())
                .isEqualTo(401);
        assertThat(api.get("/api/auth/sessions", alice).items()).noneSatisfy(
                item -> assertThat(item.get("id")).isEqualTo(listed.get("id")));
        assertThat(api.delete("/api/auth/sessions/" + listed.get("id"), alice).status()).as("already revoked").isEqualTo(404);
    }

    @Test
    void anotherUserCannotRevokeADeviceSession() {
        DevicePairing.Created created = pairing.create("Alice's tray");
        String alice = api.login("alice", Api.PASSWORD);
        Map<String, Object> session = pairedSession(created, alice);
        Object id = deviceSessionLabelled(alice, "Alice's tray").get("id");
        String bob = api.login("bob", Api.PASSWORD);

        Api.Response someoneElses = api.delete("/api/auth/sessions/" + id, bob);
        Api.Response unknown = api.delete("/api/auth/sessions/" + UUID.randomUUID(), bob);

        assertThat(someoneElses.status()).isEqualTo(404);
        assertThat(someoneElses.json().get("detail")).isEqualTo(unknown.json().get("detail"));
        assertThat(api.get("/api/auth/sessions", bob).items()).noneSatisfy(
                item -> assertThat(item.get("id")).isEqualTo(id));
        assertThat(api.post("/api/auth/refresh", null, Map.of("refresh_token", session.get("refresh_token"))).status())
                .as("alice's device is still signed in").isEqualTo(200);
    }

    @Test
    void unknownPairingGets404BeforeAnyStreamAndHasNoQrCode() throws Exception {
        String unknown = UUID.randomUUID().toString();
        try (SseClient device = pairing.listen(unknown)) {
            assertThat(device.status()).isEqualTo(404);
            assertThat(device.response().headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(pairing.qrPng(unknown + "/qr.png").statusCode()).isEqualTo(404);
    }

    @Test
    void scannedPairingHasNoQrCodeAnyMore() throws Exception {
        DevicePairing.Created created = pairing.create();
        assertThat(pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken()).status()).isEqualTo(200);

        assertThat(pairing.qrPng(created.pairingId() + "/qr.png").statusCode()).isEqualTo(404);
    }

    @Test
    void qrCodeSizeCanBeChosenWithinBounds() throws Exception {
        DevicePairing.Created created = pairing.create();

        HttpResponse<byte[]> large = pairing.qrPng(created.pairingId() + "/qr.png?size=600");
        assertThat(large.statusCode()).isEqualTo(200);
        assertThat(DevicePairing.image(large.body()).getWidth()).isEqualTo(600);
        assertThat(DevicePairing.decodeQr(large.body())).isEqualTo(created.qrToken());
        assertThat(pairing.qrPng(created.pairingId() + "/qr.png?size=5000").statusCode()).isEqualTo(400);
        assertThat(pairing.qrPng(created.pairingId() + "/qr.png?size=10").statusCode()).isEqualTo(400);
    }

    @Test
    void qrCodeHoldsNeitherThePairingIdNorTheCodeAsStored() throws Exception {
        DevicePairing.Created created = pairing.create();

        assertThat(created.qrToken()).doesNotContain(created.pairingId());
        assertThat(claimsOf(created.qrToken())).doesNotContain(created.pairingId());
        String code = SignedJWT.parse(created.qrToken()).getJWTClaimsSet().getJWTID();
        assertThat(pairing.count("SELECT count(*) FROM pairing WHERE id = ?::uuid AND code_hash = sha256(convert_to('"
                + code + "', 'UTF8'))", created.pairingId())).as("only the code's SHA-256 is stored").isEqualTo(1);
    }

    @Test
    void deviceLabelIsValidated() {
        Api.Response response = api.post("/api/pairings", null, Map.of("label", "x".repeat(65)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"label\"");
    }

    private static Map<String, Object> pairedSession(DevicePairing.Created created, String accessToken) {
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(pairing.scan(accessToken, created.qrToken()).status()).isEqualTo(200);
            return device.data(device.next("session-started"));
        }
    }

    private static Map<String, Object> deviceSessionLabelled(String accessToken, String label) {
        return api.get("/api/auth/sessions", accessToken).items().stream()
                .filter(item -> label.equals(item.get("label")))
                .findFirst().orElseThrow(() -> new AssertionError("No session labelled " + label));
    }

    private static void assertInvalidQrCode(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail")).isEqualTo("Invalid or expired QR code");
    }

    private static String claimsOf(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
