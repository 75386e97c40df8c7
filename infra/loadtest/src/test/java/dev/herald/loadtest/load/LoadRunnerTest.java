package dev.herald.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The open loop against a real HTTP server on loopback: its schedule, its bound and its clock. */
class LoadRunnerTest {

    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.close();
    }

    @Test
    void openLoopSendsEveryRequestItsRateSchedulesExactlyOnce() throws IOException {
        URI base = serve(Duration.ZERO, 200);

        LoadOutcome outcome;
        try (LoadRunner load = new LoadRunner(base)) {
            outcome = load.openLoop(stamp -> PlannedRequest.get("/ok", "token"), 400, Duration.ofSeconds(1), 64);
        }

        assertThat(outcome.requests()).isEqualTo(400);
        assertThat(outcome.succeeded()).isEqualTo(400);
        assertThat(answered.get()).isEqualTo(400);
        assertThat(outcome.responseMicros().getTotalCount()).isEqualTo(400);
        assertThat(outcome.requestsPerSecond()).isBetween(300.0, 410.0);
    }

    @Test
    void openLoopKeepsAtMostItsBoundInFlightAndCountsTheWaitInTheLatency() throws IOException {
        URI base = serve(Duration.ofMillis(100), 200);

        LoadOutcome outcome;
        try (LoadRunner load = new LoadRunner(base)) {
            // 200 a second for half a second against 4 slots of 100 ms each: about 20 can be sent
            outcome = load.openLoop(stamp -> PlannedRequest.get("/slow", "token"), 200, Duration.ofMillis(500), 4);
        }

        assertThat(mostInFlight.get()).isLessThanOrEqualTo(4);
        assertThat(outcome.requests()).isBetween(16L, 28L).isEqualTo(answered.get());
        assertThat(outcome.requestsPerSecond()).isLessThan(100);
        // Requests queued behind the slots are timed from their intended start, not from when they left.
        assertThat(outcome.responseMillis(99)).isGreaterThan(150);
    }

    @Test
    void openLoopCountsErrorAnswersWithTheirStatus() throws IOException {
        URI base = serve(Duration.ZERO, 503);

        LoadOutcome outcome;
        try (LoadRunner load = new LoadRunner(base)) {
            outcome = load.openLoop(stamp -> PlannedRequest.get("/busy", "token"), 100, Duration.ofMillis(300), 8);
        }

        assertThat(outcome.requests()).isEqualTo(30);
        assertThat(outcome.succeeded()).isZero();
        assertThat(outcome.statuses()).containsEntry(503, 30L);
        assertThat(outcome.firstFailure()).startsWith("503 busy");
    }

    private URI serve(Duration delay, int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(delay);
                byte[] body = (status == 200 ? "{}" : "busy").getBytes();
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                answered.incrementAndGet();
                exchange.close();
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
