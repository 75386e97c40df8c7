package dev.herald.loadtest.scenario;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.fleet.DeliveryTally;
import dev.herald.loadtest.fleet.Fleet;
import dev.herald.loadtest.load.PlannedRequest;
import dev.herald.loadtest.report.Figure;
import dev.herald.loadtest.report.Report;
import dev.herald.loadtest.rest.BenchUser;
import dev.herald.loadtest.rest.HeraldRest;
import dev.herald.loadtest.server.DatabaseActivity;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * Scenario 3: one message to every connection, a few bursts in a row: time from the request to the last
 * delivery. By default a notification to every user ({@code "audience":"all"}, issue #9: a row per user);
 * with {@code --topic NAME}, every connection subscribes to that topic and each burst is one topic message
 * (one row, whatever the number of subscribers). Then again with 1% of the clients not reading: the reading
 * clients' p99 must not move. Then the clients that stopped reading are sent far more than Herald holds for
 * a connection (its bound on queued bytes, after what the kernel's socket buffers take), and the heap must
 * stay within that bound for each of them: Herald closes them (4008) rather than hold what they do not read.
 */
public final class BroadcastBurst implements Scenario {

    /** Herald's default per-connection bound on queued bytes (HERALD_DELIVERY_MAX_QUEUED_BYTES). */
    private static final long MAX_QUEUED_BYTES = 1 << 20;
    /** The largest notification Herald takes: a 4,000-character message and 8 KB of data (compressible, as stored). */
    private static final String LARGE_MESSAGE = "m".repeat(4_000);
    private static final Map<String, Object> LARGE_DATA = Map.of("pad", "d".repeat(8_000));
    /** One such notification's frame as sent: the message, the data and the rest of the envelope. */
    private static final long FRAME_BYTES = LARGE_MESSAGE.length() + HeraldRest.write(LARGE_DATA).length() + 400;
    /** Items per batch request of the flood: about 1.5 MB, under Herald's 2 MB body limit. */
    private static final int FLOOD_BATCH = 120;
    /** Notifications to each stalled client per round of the flood, between looks at Herald's gauge. */
    private static final int FLOOD_ROUND = 50;

    @Override
    public Report run(Options options, PrintStream progress) {
        int connections = options.integer("connections", 19_000);
        int bursts = options.integer("bursts", 10);
        Duration pause = options.duration("pause", Duration.ofMillis(500));
        Duration drain = options.duration("drain", Duration.ofSeconds(10));
        String topic = options.text("topic", null);
        try (Bench bench = new Bench(options, progress)) {
            List<BenchUser> users = bench.users(Bench.USER_PREFIX, connections);
            // A topic of this run's own: a subscriber's cursor starts at the topic's latest seq anyway.
            String runTopic = topic == null ? null : topic + "-" + UUID.randomUUID().toString().substring(0, 8);
            bench.connect(users, runTopic);
            Burst burst = runTopic == null ? Burst.everyUser(bench) : Burst.topic(bench, runTopic, connections);
            bench.fleet().report();

            // The first broadcasts of a fresh JVM run interpreted code; they are not what a running node does.
            int warmup = options.integer("warmup-bursts", 10);
            bench.log("%d warm-up bursts", warmup);
            Bursts warm = bursts(bench, burst, warmup, pause, drain, connections);
            Optional<DatabaseActivity> databaseBefore = bench.databaseActivity();
            double serverCpuBefore = bench.server.probe().cpuSeconds();
            double generatorCpuBefore = bench.fleet().generatorCpuSeconds();
            Bursts reading = bursts(bench, burst, bursts, pause, drain, connections);
            // Over the bursts and their pauses: what a delivery costs each side, idle keep-alive included.
            double serverCpu = bench.server.probe().cpuSeconds() - serverCpuBefore;
            double generatorCpu = bench.fleet().generatorCpuSeconds() - generatorCpuBefore;
            // Read now: the bursts with stalled clients that follow store as many rows again.
            Optional<DatabaseActivity> databaseAfter = bench.databaseActivity();
            bench.log("all reading: median time to last delivery %.1f ms, p99 %.1f ms", reading.medianToLastMillis(),
                    reading.tally.latencyMillis(99));

            long heapBefore = bench.server.probe().heapAfterGc();
            List<BenchUser> stalledUsers = bench.fleet().stall(100).stream().map(users::get).toList();
            int stalled = stalledUsers.size();
            bench.log("%d clients stopped reading", stalled);
            Bursts withStalled = bursts(bench, burst, bursts, pause, drain, connections - stalled);
            double p99Reading = reading.tally.latencyMillis(99);
            double p99WithStalled = withStalled.tally.latencyMillis(99);
            Flood flood = flood(bench, stalledUsers, options.integer("flood-per-stalled", 1_000),
                    options.duration("flood-settle", Duration.ofSeconds(5)));
            long heapAfter = bench.server.probe().heapAfterGc();

            Report report = new Report(runTopic == null ? "broadcast" : "broadcast-topic")
                    .add(Figure.info("connections", connections, "conn"))
                    .add(Figure.atMost("time to last delivery (median of bursts)", reading.medianToLastMillis(), "ms", 100))
                    .add(Figure.info("time to last delivery (worst burst)", reading.worstToLastMillis(), "ms"))
                    .add(Figure.info("p50 publish -> deliver", reading.tally.latencyMillis(50), "ms"))
                    .add(Figure.info("p99 publish -> deliver", p99Reading, "ms"))
                    .add(Figure.info("server CPU per delivery (the bursts with all reading)",
                            1e6 * serverCpu / Math.max(1, reading.tally.delivered()), "us"))
                    .add(Figure.info("load generator CPU per delivery (the bursts with all reading)",
                            1e6 * generatorCpu / Math.max(1, reading.tally.delivered()), "us"))
                    .add(Figure.info("stalled clients", stalled, "conn"))
                    .add(Figure.atMost("p99 of reading clients with 1% stalled", p99WithStalled, "ms",
                            Math.max(p99Reading * 1.25, p99Reading + 5)))
                    .add(Figure.info("time to last delivery with 1% stalled (median)", withStalled.medianToLastMillis(), "ms"))
                    .add(Figure.info("sent to each stalled client", flood.perClient() * flood.frameBytes() / 1048576.0, "MiB"))
                    .add(Figure.atMost("heap growth with 1% stalled", (heapAfter - heapBefore) / 1048576.0, "MiB",
                            stalled * (double) MAX_QUEUED_BYTES / 1048576.0))
                    .add(Figure.info("stalled clients Herald closed", flood.closedByHerald(), "conn"))
                    .count("bursts", 2L * bursts + warmup)
                    .count("recipients per burst", reading.recipients)
                    .count("delivered", warm.tally.delivered() + reading.tally.delivered() + withStalled.tally.delivered())
                    .count("expected", (long) (warmup + bursts) * connections + (long) bursts * (connections - stalled))
                    .count("duplicates", warm.tally.duplicates() + reading.tally.duplicates() + withStalled.tally.duplicates())
                    .count("gaps", warm.tally.gaps() + reading.tally.gaps() + withStalled.tally.gaps())
                    .count("stalled delivered", withStalled.tally.stalledDelivered())
                    .count("closed", reading.tally.closed() + withStalled.tally.closed())
                    .count("flooded notifications", (long) flood.perClient() * stalled)
                    .note(runTopic == null ? "each burst: a notification to every user (\"audience\":\"all\"), a row per user"
                            : "each burst: one message on a topic every connection subscribed to, stored once; PostgreSQL's"
                            + " CPU per stored message is then mostly its background work over the bursts and pauses")
                    .note("p99 target with stalled clients: no more than 1.25x (or +5 ms) the p99 with all reading; "
                            + "heap bound: stalled clients x Herald's per-connection queue bound (1 MiB)")
                    .note("after the bursts, each stalled client (its receive buffer cut to 4 KiB) was sent up to "
                            + flood.perClient() + " notifications of about " + flood.frameBytes() / 1024
                            + " KiB, in rounds until Herald had closed it; heap growth is measured after that, against the"
                            + " heap before the clients stalled");
            bench.addDatabaseActivity(report, "the bursts with all reading", databaseBefore, databaseAfter,
                    runTopic == null ? (long) bursts * reading.recipients : bursts,
                    runTopic == null ? "stored notification" : "stored topic message");
            bench.addServerFigures(report);
            return report;
        }
    }

    private record Flood(int perClient, long frameBytes, long closedByHerald) {
    }

    /**
     * Sends each stalled client large notifications, in rounds, until Herald has closed every one of them or
     * {@code maxPerClient} went to each. Herald's own count of open connections says how many it closed; a
     * stalled client never reads its close, so the reading clients' closes (which they do read) are taken off.
     */
    private static Flood flood(Bench bench, List<BenchUser> stalled, int maxPerClient, Duration settle) {
        bench.fleet().report(); // the reading clients' closes are counted from here
        long openBefore = heraldConnections(bench);
        long readingClosed = 0;
        // Every round is the same: FLOOD_ROUND to each stalled client, in batch bodies made once.
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < FLOOD_ROUND; i++) {
            for (BenchUser user : stalled) {
                Map<String, Object> item = Publications.notification(user.id(), 0);
                item.put("message", LARGE_MESSAGE);
                item.put("data", LARGE_DATA);
                items.add(item);
            }
        }
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < items.size(); from += FLOOD_BATCH) {
            bodies.add(HeraldRest.write(items.subList(from, Math.min(items.size(), from + FLOOD_BATCH))));
        }
        int sent = 0;
        long closed = 0;
        while (sent < maxPerClient && closed < stalled.size()) {
            for (String body : bodies) {
                HttpResponse<String> response = bench.rest.post("/api/notifications/batch", bench.adminToken, body, Map.of());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("flood batch refused: HTTP " + response.statusCode() + " " + response.body());
                }
            }
            sent += FLOOD_ROUND;
            Fleet.sleep(Duration.ofSeconds(1));
            readingClosed += bench.fleet().report().closed();
            closed = openBefore - heraldConnections(bench) - readingClosed;
            bench.log("flood: %d notifications to each of %d stalled clients, %d closed by Herald", sent, stalled.size(), closed);
        }
        // Herald drops a closed connection's queue at once; the heap is read after a last look.
        Fleet.sleep(settle);
        readingClosed += bench.fleet().report().closed();
        closed = openBefore - heraldConnections(bench) - readingClosed;
        return new Flood(sent, FRAME_BYTES, closed);
    }

    /** Herald's gauge of open connections, from /prometheus (admin). */
    private static long heraldConnections(Bench bench) {
        HttpResponse<String> metrics = bench.rest.get("/prometheus", bench.adminToken);
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("/prometheus: HTTP " + metrics.statusCode());
        }
        return metrics.body().lines().filter(line -> line.startsWith("herald_connections "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("/prometheus has no herald_connections"));
    }

    private record Bursts(DeliveryTally tally, List<Double> toLastMillis, long recipients) {

        double medianToLastMillis() {
            List<Double> sorted = toLastMillis.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        }

        double worstToLastMillis() {
            return toLastMillis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    /** How one burst is sent: the request for a stamp, and how many recipients its answer says it has. */
    private record Burst(LongFunction<PlannedRequest> request,
                         ToLongFunction<String> recipients) {

        static Burst everyUser(Bench bench) {
            return new Burst(stamp -> Publications.broadcast(bench.adminToken, stamp, "bench-" + UUID.randomUUID()),
                    body -> HeraldRest.read(body).path("recipients").asLong());
        }

        static Burst topic(Bench bench, String topic, long subscribers) {
            return new Burst(stamp -> Publications.topicMessage(bench.adminToken, topic, stamp), body -> subscribers);
        }
    }

    /** {@code count} broadcasts, each waited for until {@code expected} reading clients have it. */
    private static Bursts bursts(Bench bench, Burst burst, int count, Duration pause, Duration drain, int expected) {
        DeliveryTally total = bench.fleet().report();
        List<Double> toLast = new ArrayList<>();
        long recipients = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            PlannedRequest request = burst.request().apply(start);
            HttpResponse<String> response = bench.rest.post(request.path(), request.token(), request.body(), request.headers());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("broadcast refused: HTTP " + response.statusCode() + " " + response.body());
            }
            recipients = burst.recipients().applyAsLong(response.body());
            DeliveryTally arrived = bench.fleet().awaitDeliveries(expected, drain, new DeliveryTally());
            // A burst that never reached every reading client has no last delivery: it counts as never done.
            double toLastMillis = arrived.delivered() < expected ? Double.POSITIVE_INFINITY : (arrived.lastDeliveryNanos() - start) / 1e6;
            toLast.add(toLastMillis);
            // Each burst on its own line: one slow burst (a collection, a vacuum) is a tenth of the deliveries and
            // sets the p99 of all of them; this shows which it was.
            bench.log("burst %d of %d: last of %d deliveries at %.1f ms, p99 %.1f ms; %d keep-alive pings answered meanwhile",
                    i + 1, count, arrived.delivered(), toLastMillis, arrived.latencyMillis(99), arrived.pings());
            total.addInterval(arrived);
            Fleet.sleep(pause);
        }
        return new Bursts(total, toLast, recipients);
    }
}
