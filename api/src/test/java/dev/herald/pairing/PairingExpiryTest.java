package dev.herald.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.SseClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PairingExpiryTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.pairing.qr-token-ttl", "1s"));
    static Api api;
    static DevicePairing pairing;

    @BeforeAll
    static void createUser() {
        api = herald.api();
        pairing = new DevicePairing(herald);
        api.createUser("alice");
    }

    @Test
    void unscannedPairingEndsItsStreamWithExpiredAndItsQrCodeGets401() throws Exception {
        DevicePairing.Created created = pairing.create();
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.next().event()).isEqualTo("connection");

            SseClient.SseEvent expired = device.next();
            assertThat(expired.event()).isEqualTo("expired");
            assertThat(device.data(expired)).containsEntry("pairingId", created.pairingId());
            assertThat(device.awaitEnd(Duration.ofSeconds(5))).isTrue();
        }

        Api.Response scan = pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken());
        assertThat(scan.status()).isEqualTo(401);
        assertThat(scan.json().get("detail")).isEqualTo("Invalid or expired QR code");
        assertThat(pairing.claimed(created.pairingId())).isFalse();
        try (SseClient again = pairing.listen(created.pairingId())) {
            assertThat(again.status()).isEqualTo(404);
        }
        assertThat(pairing.qrPng(created.pairingId() + "/qr.png").statusCode()).isEqualTo(404);
    }

    @Test
    void expiredPairingsAreDeletedWhenTheNextOneIsCreated() throws Exception {
        DevicePairing.Created old = pairing.create();
        Thread.sleep(1_200);

        DevicePairing.Created fresh = pairing.create();

        String stored = "SELECT count(*) FROM pairing WHERE id = ?::uuid";
        assertThat(pairing.count(stored, old.pairingId())).isZero();
        assertThat(pairing.count(stored, fresh.pairingId())).isOne();
    }

    @Test
    void scannedPairingNotCollectedInTimeIssuesNothing() throws Exception {
        DevicePairing.Created created = pairing.create("Too late");
        assertThat(pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken()).status()).isEqualTo(200);

        Thread.sleep(1_500);

        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.status()).isEqualTo(404);
        }
        assertThat(pairing.deviceSessionsLabelled("Too late")).isZero();
    }
}
