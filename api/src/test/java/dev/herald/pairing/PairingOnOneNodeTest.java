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

/** With the database check all but switched off, only what happens on this node can reach the device. */
class PairingOnOneNodeTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.pairing.check-interval", "1h",
            "herald.pairing.heartbeat-interval", "200ms"));
    static Api api;
    static DevicePairing pairing;

    @BeforeAll
    static void createUser() {
        api = herald.api();
        pairing = new DevicePairing(herald);
        api.createUser("alice");
    }

    @Test
    void scanOnTheNodeWhereTheDeviceListensIsDeliveredAtOnce() {
        DevicePairing.Created created = pairing.create();
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.next().event()).isEqualTo("connection");

            assertThat(pairing.scan(api.login("alice", Api.PASSWORD), created.qrToken()).status()).isEqualTo(200);

            SseClient.SseEvent started = device.next();
            assertThat(started.event()).isEqualTo("session-started");
            assertThat(device.data(started)).containsEntry("username", "alice");
            assertThat(device.awaitEnd(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void idleStreamGetsHeartbeatCommentsAndNoEvents() {
        DevicePairing.Created created = pairing.create();
        try (SseClient device = pairing.listen(created.pairingId())) {
            assertThat(device.next().event()).isEqualTo("connection");

            assertThat(device.drain(1_000)).isEmpty();
            assertThat(device.comments()).isGreaterThanOrEqualTo(2);
        }
    }
}
