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
import java.util.Optional;
import java.util.UUID;

/**
 * Scenario 3: one message to every user ({@code "audience":"all"}, issue #9), a few bursts in a row: time
 * from the request to the last delivery. Then again with 1% of the clients not reading: the heap must stay
 * bounded (Herald's per-connection queue) and the reading clients' p99 must not move.
 */
public final class BroadcastBurst implements Scenario {

    /** Herald's default per-connection bound on queued bytes (HERALD_DELIVERY_MAX_QUEUED_BYTES). */
    private static final long MAX_QUEUED_BYTES = 1 << 20;

    @Override
    public Report run(Options options, PrintStream progress) {
        int connections = options.integer("connections", 19_000);
        int bursts = options.integer("bursts", 10);
        Duration pause = options.duration("pause", Duration.ofMillis(500));
        Duration drain = options.duration("drain", Duration.ofSeconds(10));
        try (Bench bench = new Bench(options, progress)) {
            List<BenchUser> users = bench.users(Bench.USER_PREFIX, connections);
            bench.connect(users);
            bench.fleet().report();

            // The first broadcasts of a fresh JVM run interpreted code; they are not what a running node does.
            int warmup = options.integer("warmup-bursts", 3);
            bench.log("%d warm-up bursts", warmup);
            Bursts warm = bursts(bench, warmup, pause, drain, connections);
            Optional<DatabaseActivity> databaseBefore = bench.databaseActivity();
            Bursts reading = bursts(bench, bursts, pause, drain, connections);
            // Read now: the bursts with stalled clients that follow store as many rows again.
            Optional<DatabaseActivity> databaseAfter = bench.databaseActivity();
            bench.log("all reading: median time to last delivery %.1f ms, p99 %.1f ms", reading.medianToLastMillis(),
                    reading.tally.latencyMillis(99));

            long heapBefore = bench.server.probe().heapAfterGc();
            int stalled = bench.fleet().stall(100);
            bench.log("%d clients stopped reading", stalled);
            Bursts withStalled = bursts(bench, bursts, pause, drain, connections - stalled);
            long heapAfter = bench.server.probe().heapAfterGc();
            double p99Reading = reading.tally.latencyMillis(99);
            double p99WithStalled = withStalled.tally.latencyMillis(99);

            Report report = new Report("broadcast")
                    .add(Figure.info("connections", connections, "conn"))
                    .add(Figure.atMost("time to last delivery (median of bursts)", reading.medianToLastMillis(), "ms", 100))
                    .add(Figure.info("time to last delivery (worst burst)", reading.worstToLastMillis(), "ms"))
                    .add(Figure.info("p50 publish -> deliver", reading.tally.latencyMillis(50), "ms"))
                    .add(Figure.info("p99 publish -> deliver", p99Reading, "ms"))
                    .add(Figure.info("stalled clients", stalled, "conn"))
                    .add(Figure.atMost("p99 of reading clients with 1% stalled", p99WithStalled, "ms",
                            Math.max(p99Reading * 1.25, p99Reading + 5)))
                    .add(Figure.info("time to last delivery with 1% stalled (median)", withStalled.medianToLastMillis(), "ms"))
                    .add(Figure.atMost("heap growth with 1% stalled", (heapAfter - heapBefore) / 1048576.0, "MiB",
                            stalled * (double) MAX_QUEUED_BYTES / 1048576.0))
                    .count("bursts", 2L * bursts + warmup)
                    .count("recipients per burst", reading.recipients)
                    .count("delivered", warm.tally.delivered() + reading.tally.delivered() + withStalled.tally.delivered())
                    .count("expected", (long) (warmup + bursts) * connections + (long) bursts * (connections - stalled))
                    .count("duplicates", warm.tally.duplicates() + reading.tally.duplicates() + withStalled.tally.duplicates())
                    .count("gaps", warm.tally.gaps() + reading.tally.gaps() + withStalled.tally.gaps())
                    .count("stalled delivered", withStalled.tally.stalledDelivered())
                    .count("closed", reading.tally.closed() + withStalled.tally.closed())
                    .note("p99 target with stalled clients: no more than 1.25x (or +5 ms) the p99 with all reading; "
                            + "heap bound: stalled clients x Herald's per-connection queue bound (1 MiB)");
            bench.addDatabaseActivity(report, "the bursts with all reading", databaseBefore, databaseAfter,
                    (long) bursts * reading.recipients, "stored notification");
            bench.addServerFigures(report);
            return report;
        }
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

    /** {@code count} broadcasts, each waited for until {@code expected} reading clients have it. */
    private static Bursts bursts(Bench bench, int count, Duration pause, Duration drain, int expected) {
        DeliveryTally total = bench.fleet().report();
        List<Double> toLast = new ArrayList<>();
        long recipients = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            PlannedRequest request = Publications.broadcast(bench.adminToken, start, "bench-" + UUID.randomUUID());
            HttpResponse<String> response = bench.rest.post(request.path(), request.token(), request.body(), request.headers());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("broadcast refused: HTTP " + response.statusCode() + " " + response.body()
                        + " (needs issue #9's \"audience\":\"all\")");
            }
            recipients = HeraldRest.read(response.body()).path("recipients").asLong();
            DeliveryTally burst = bench.fleet().awaitDeliveries(expected, drain, new DeliveryTally());
            toLast.add((burst.lastDeliveryNanos() - start) / 1e6);
            total.addInterval(burst);
            Fleet.sleep(pause);
        }
        return new Bursts(total, toLast, recipients);
    }
}
