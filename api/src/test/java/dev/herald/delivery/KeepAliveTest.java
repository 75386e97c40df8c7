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
    void connectionsOpenedTogetherArePingedSpreadOverAQuarterOfTheIntervalAndNeverSooner() throws Exception {
        Api api = herald.api();
        api.createUser("reconnecting");
        String token = api.login("reconnecting", Api.PASSWORD);
        List<WsClient> clients = new ArrayList<>();
        List<Future<double[]>> pings = new ArrayList<>();
        try (ExecutorService waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CLIENTS; i++) {
                long asked = System.nanoTime(); // before Herald made the connection: no ping can be due sooner
                WsClient client = WsClient.withToken(api, token);
                clients.add(client);
                client.next("connected");
                long opened = System.nanoTime(); // after: every ping is due by then
                // A thread per client, so each ping's arrival is timed as it comes, not when it is looked at.
                pings.add(waiting.submit(() -> {
                    client.next(message -> "ping".equals(message.get("type")), Duration.ofSeconds(10));
                    long first = System.nanoTime();
                    client.next(message -> "ping".equals(message.get("type")), Duration.ofSeconds(10));
                    long second = System.nanoTime();
                    return new double[] {(first - asked) / 1e9, (first - opened) / 1e9, (second - first) / 1e9};
                }));
            }
            List<double[]> times = new ArrayList<>();
            for (Future<double[]> ping : pings) {
                times.add(ping.get());
            }

            double interval = PING_INTERVAL.toMillis() / 1000.0;
            double latest = 1.25 * interval + SWEEP_INTERVAL.toMillis() / 1000.0 + 0.5; // half a second for a busy machine
            assertThat(times).as("first ping after the connection was asked for, after it opened; then the next ping")
                    .allSatisfy(time -> {
                        assertThat(time[0]).as("first ping, from the request").isGreaterThanOrEqualTo(interval);
                        assertThat(time[1]).as("first ping, from the opening").isLessThanOrEqualTo(latest);
                        assertThat(time[2]).as("between the first ping and the second").isBetween(interval, latest);
                    });
            double earliest = times.stream().mapToDouble(time -> time[1]).min().orElseThrow();
            double last = times.stream().mapToDouble(time -> time[1]).max().orElseThrow();
            // Each would otherwise be pinged the interval after it opened, give or take a sweep (50 ms); with a share
            // of a quarter of the interval of its own, the first pings spread over about half a second.
            assertThat(last - earliest).as("seconds between the earliest and the latest first ping").isGreaterThan(0.2);
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
