package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Silent clients and expiring tokens, with intervals short enough for a test. */
class ConnectionLimitsTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.delivery.ping-interval", "300ms",
            "herald.delivery.pong-timeout", "1s",
            "herald.delivery.sweep-interval", "100ms",
            "herald.auth.access-token-ttl", "4s"));
    static Api api;

    @BeforeAll
    static void createUsers() {
        api = herald.api();
        api.createUser("quiet");
        api.createUser("lively");
        api.createUser("expiring");
        api.createUser("renewing");
    }

    @Test
    void clientThatStopsAnsweringPingsIsRemovedFromTheRegistry() throws Exception {
        ConnectionRegistry registry = herald.bean(ConnectionRegistry.class);
        WsClient silent = WsClient.withToken(api, api.login("quiet", Api.PASSWORD)).answerPings(false);
        long userId = userIdOf(silent);
        WsClient lively = WsClient.withToken(api, api.login("lively", Api.PASSWORD));
        long livelyId = userIdOf(lively);
        assertThat(registry.connectionsOf(userId)).hasSize(1);

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && !registry.connectionsOf(userId).isEmpty()) {
            Thread.sleep(50);
        }

        assertThat(registry.connectionsOf(userId)).as("the silent client").isEmpty();
        assertThat(registry.connectionsOf(livelyId)).as("the client answering pings").hasSize(1);
        silent.close();
        lively.close();
    }

    @Test
    void connectionIsClosedWith4001WhenItsTokenExpiresUnlessRenewed() throws Exception {
        String renewingToken = api.login("renewing", Api.PASSWORD);
        WsClient expiring = WsClient.withToken(api, api.login("expiring", Api.PASSWORD));
        WsClient renewing = WsClient.withToken(api, renewingToken);
        expiring.next("connected");
        renewing.next("connected");
        Thread.sleep(2000);
        renewing.send(Map.of("type", "auth", "token", api.login("renewing", Api.PASSWORD)));
        renewing.send(Map.of("type", "ping"));
        renewing.next("pong");

        assertThat(expiring.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4001);
        Thread.sleep(1000); // past the first token's expiry, well before the renewed one's
        assertThat(renewing.isClosed()).as(() -> "renewed connection outlives its first token; closed with "
                + (renewing.isClosed() ? renewing.awaitClose(Duration.ofMillis(1)) : null)).isFalse();
        renewing.close();
        expiring.close();
    }

    private static long userIdOf(WsClient client) {
        return ((Number) WsClient.payload(client.next("connected")).get("userId")).longValue();
    }
}
