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
    void openLoopSendsTheRequestsItsRateSchedulesOnceEach() throws IOException {
        URI base = serve(Duration.ZERO, 200);

        LoadOutcome outcome;
        try (LoadRunner load = warm(new LoadRunner(base))) {
            outcome = load.openLoop(stamp -> PlannedRequest.get("/ok", "token"), 400, Duration.ofSeconds(1), 64);
        }

        // Each is sent once; one whose time comes only as the run ends (a late timer) is not sent at all,
        // and is counted unsent.
        assertThat(outcome.requests()).isBetween(390L, 400L).isEqualTo(answered.get());
        assertThat(outcome.requests() + outcome.unsent()).isEqualTo(400);
        assertThat(outcome.succeeded()).isEqualTo(outcome.requests());
        assertThat(outcome.responseMicros().getTotalCount()).isEqualTo(400);
        assertThat(outcome.requestsPerSecond()).isBetween(300.0, 410.0);
    }

    @Test
    void openLoopKeepsAtMostItsBoundInFlightAndCountsTheWaitInTheLatency() throws IOException {
        URI base = serve(Duration.ofMillis(100), 200);

        LoadOutcome outcome;
        try (LoadRunner load = warm(new LoadRunner(base))) {
            // 200 a second for half a second against 4 slots of 100 ms each: about 20 can be sent
            outcome = load.openLoop(stamp -> PlannedRequest.get("/slow", "token"), 200, Duration.ofMillis(500), 4);
        }

        assertThat(mostInFlight.get()).isLessThanOrEqualTo(4);
        assertThat(outcome.requests()).isBetween(16L, 28L).isEqualTo(answered.get());
        assertThat(outcome.requestsPerSecond()).isLessThan(100);
        // The ones still waiting for a slot when the time was up are counted, with what they had waited.
        assertThat(outcome.requests() + outcome.unsent()).isEqualTo(100);
        assertThat(outcome.responseMicros().getTotalCount()).isEqualTo(100);
        // Requests queued behind the slots are timed from their intended start, not from when they left.
        assertThat(outcome.responseMillis(99)).isGreaterThan(150);
        assertThat(outcome.notComparable()).as("a p99 with the slowest missing").endsWith("requests unsent");
    }

    @Test
    void openLoopCountsErrorAnswersWithTheirStatus() throws IOException {
        URI base = serve(Duration.ZERO, 503);

        LoadOutcome outcome;
        try (LoadRunner load = warm(new LoadRunner(base))) {
            outcome = load.openLoop(stamp -> PlannedRequest.get("/busy", "token"), 100, Duration.ofMillis(300), 8);
        }

        assertThat(outcome.requests()).isBetween(27L, 30L);
        assertThat(outcome.requests() + outcome.unsent()).isEqualTo(30);
        assertThat(outcome.succeeded()).isZero();
        assertThat(outcome.statuses()).as(outcome.firstFailure()).containsExactly(java.util.Map.entry(503, outcome.requests()));
        assertThat(outcome.firstFailure()).startsWith("503 busy");
        // A fast error is no fast answer: only what was still unsent at the end (a busy machine) is in the figures.
        assertThat(outcome.responseMicros().getTotalCount()).isEqualTo(outcome.unsent());
        assertThat(outcome.notComparable()).isNotNull();
    }

    @Test
    void closedLoopKeepsItsConcurrencyInFlightUntilTheTimeIsUp() throws IOException {
        URI base = serve(Duration.ofMillis(20), 200);

        LoadOutcome outcome;
        try (LoadRunner load = warm(new LoadRunner(base))) {
            outcome = load.closedLoop(stamp -> PlannedRequest.get("/ok", "token"), 3, Duration.ofMillis(600));
        }

        // three chains of 20 ms answers for 0.6 s: at most 90 requests, each answered before the next was sent
        assertThat(mostInFlight.get()).isEqualTo(3);
        assertThat(outcome.requests()).isBetween(45L, 93L).isEqualTo(answered.get());
        assertThat(outcome.succeeded()).isEqualTo(outcome.requests());
        assertThat(outcome.elapsed()).isBetween(Duration.ofMillis(600), Duration.ofMillis(900));
        assertThat(outcome.responseMillis(50)).isGreaterThanOrEqualTo(20);
    }

    /**
     * A few requests first, then counts from zero: a cold JVM on two busy cores can take longer than a
     * short run to load the client's and the server's classes, and an open loop rightly sends nothing late.
     */
    private LoadRunner warm(LoadRunner load) {
        load.closedLoop(stamp -> PlannedRequest.get("/warm", "token"), 2, Duration.ofMillis(300));
        answered.set(0);
        mostInFlight.set(0);
        return load;
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
