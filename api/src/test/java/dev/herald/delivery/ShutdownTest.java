package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShutdownTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();

    @Test
    void shutdownClosesConnectionsWith1001AfterFlushingWhatWasQueued() {
        Api api = herald.api();
        api.createUser("publisher", "publisher");
        api.createUser("listener");
        String publisher = api.login("publisher", Api.PASSWORD);
        WsClient device = WsClient.withToken(api, api.login("listener", Api.PASSWORD));
        device.next("connected");
        for (int i = 0; i < 20; i++) {
            api.publish(publisher, Map.of("username", "listener", "type", "t", "title", "n" + i));
        }

        herald.stop();

        assertThat(device.drain(Duration.ofMillis(500)))
                .filteredOn(message -> "notification".equals(message.get("type"))).hasSize(20);
        assertThat(device.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1001);
    }
}
