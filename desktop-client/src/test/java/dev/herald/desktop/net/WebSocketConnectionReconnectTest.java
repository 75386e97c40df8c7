package dev.herald.desktop.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** Reconnect timing of the real connection against a port where nothing listens, with a fake scheduler. */
class WebSocketConnectionReconnectTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final FakeScheduler scheduler = new FakeScheduler();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

    @Test
    void failedAttemptsWaitAlongTheBackoffSequenceAndShowTheCountdown() throws Exception {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.5);
        WebSocketConnection connection = connectionTo(closedPort(), backoff);

        connection.start();
        List<Long> delays = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= 6; attempt++) {
            awaitPendingReconnect();
            FakeScheduler.Task next = scheduler.pending().getFirst();
            delays.add(next.delay().toMillis());
            ConnectionState.Reconnecting state = (ConnectionState.Reconnecting) connection.state();
            assertThat(state.attempt()).isEqualTo(attempt);
            assertThat(state.at()).isEqualTo(NOW.plus(next.delay()));
            scheduler.runPending();
        }
        // Half the step plus half the remaining half (jitter 0.5): 750, 1500, 3000, 6000, then capped at 8 s.
        assertThat(delays).containsExactly(750L, 1_500L, 3_000L, 6_000L, 6_000L, 6_000L);
        assertThat(states).anyMatch(ConnectionState.Connecting.class::isInstance);
        assertThat(new ConnectionState.Reconnecting(1, Duration.ofMillis(6_000), NOW.plusMillis(6_000)).describe(NOW))
                .isEqualTo("Reconnecting in 6 s");
        connection.stop(false);
    }

    @Test
    void stopCancelsThePendingReconnectAndReportsOffline() throws Exception {
        WebSocketConnection connection = connectionTo(closedPort(), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.0));
        connection.start();
        awaitPendingReconnect();

        connection.stop(false);

        assertThat(scheduler.pending()).isEmpty();
        assertThat(connection.state()).isInstanceOf(ConnectionState.Offline.class);
        connection.stop(true);
        assertThat(connection.state()).isInstanceOf(ConnectionState.SignedOut.class);
    }

    @Test
    void aServerThatRefusesEvenAFreshTokenIsRetriedAlongTheBackoffNotAtOnce() throws Exception {
        HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger handshakes = new AtomicInteger();
        refusing.createContext("/ws", exchange -> {
            handshakes.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        refusing.start();
        AtomicInteger renewals = new AtomicInteger();
        AccessTokens renewable = new AccessTokens() {
            @Override
            public String current() {
                return "token-" + renewals.get();
            }

            @Override
            public CompletableFuture<String> renew() {
                return CompletableFuture.completedFuture("token-" + renewals.incrementAndGet());
            }
        };
        WebSocketConnection connection = connectionTo(refusing.getAddress().getPort(),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.5), renewable);
        try {
            connection.start();
            awaitPendingReconnect();

            // The first refusal reconnects at once with a renewed token; that one refused too, it waits.
            assertThat(handshakes.get()).isEqualTo(2);
            assertThat(renewals.get()).as("a token is still renewed after each refusal").isEqualTo(2);
            assertThat(connection.state()).isInstanceOf(ConnectionState.Reconnecting.class);
            scheduler.runPending();
            awaitPendingReconnect();
            assertThat(((ConnectionState.Reconnecting) connection.state()).attempt()).as("and the wait grows").isEqualTo(2);
        } finally {
            connection.stop(false);
            refusing.stop(0);
        }
    }

    private WebSocketConnection connectionTo(int port, Backoff backoff) {
        return connectionTo(port, backoff, new FixedAccessTokens());
    }

    private WebSocketConnection connectionTo(int port, Backoff backoff, AccessTokens tokens) {
        WebSocketConnection connection = new WebSocketConnection(URI.create("http://127.0.0.1:" + port),
                HttpClient.newHttpClient(), tokens, backoff, scheduler, Clock.fixed(NOW, ZoneOffset.UTC));
        connection.addListener(new ConnectionEvents() {
            @Override
            public void stateChanged(ConnectionState state) {
                states.add(state);
            }
        });
        return connection;
    }

    private void awaitPendingReconnect() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !scheduler.pending().isEmpty());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
