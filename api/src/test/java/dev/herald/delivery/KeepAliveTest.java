package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the keep-alive sweep pings: intervals short enough for a test. */
class KeepAliveTest {

    private static final Duration PING_INTERVAL = Duration.ofSeconds(2);
    private static final Duration SWEEP_INTERVAL = Duration.ofMillis(50);
    private static final int CLIENTS = 24;

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.delivery.ping-interval", "2s",
            "herald.delivery.pong-timeout", "10s",
            "herald.delivery.sweep-interval", "50ms",
            "herald.delivery.max-connections-per-user", String.valueOf(CLIENTS)));

    @Test
    void connectionsOpenedTogetherArePingedSpreadOverAQuarterOfTheInterval() throws Exception {
        Api api = herald.api();
        api.createUser("reconnecting");
        String token = api.login("reconnecting", Api.PASSWORD);
        List<WsClient> clients = new ArrayList<>();
        List<Future<Double>> firstPingSeconds = new ArrayList<>();
        try (ExecutorService waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CLIENTS; i++) {
                WsClient client = WsClient.withToken(api, token);
                clients.add(client);
                client.next("connected");
                long opened = System.nanoTime();
                // A thread per client, so each ping's arrival is timed as it comes, not when it is looked at.
                firstPingSeconds.add(waiting.submit(() -> {
                    client.next(message -> "ping".equals(message.get("type")), Duration.ofSeconds(10));
                    return (System.nanoTime() - opened) / 1e9;
                }));
            }
            List<Double> delays = new ArrayList<>();
            for (Future<Double> delay : firstPingSeconds) {
                delays.add(delay.get());
            }

            double interval = PING_INTERVAL.toMillis() / 1000.0;
            double sweep = SWEEP_INTERVAL.toMillis() / 1000.0;
            assertThat(delays).as("each first ping, in seconds after its connection opened")
                    .allSatisfy(delay -> assertThat(delay).isBetween(0.75 * interval - sweep, interval + sweep + 0.5));
            double spread = delays.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                    - delays.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            // Without a lead of its own, each would be pinged the interval after it opened, give or take a sweep;
            // with one, the delays spread over about a quarter of the interval (0.5 s).
            assertThat(spread).as("seconds between the earliest and the latest first ping of %s", delays)
                    .isGreaterThan(0.2);
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
