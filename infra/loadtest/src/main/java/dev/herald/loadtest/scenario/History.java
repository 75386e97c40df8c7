package dev.herald.loadtest.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.load.LoadOutcome;
import dev.herald.loadtest.load.LoadRunner;
import dev.herald.loadtest.load.PlannedRequest;
import dev.herald.loadtest.load.RequestPlan;
import dev.herald.loadtest.report.Figure;
import dev.herald.loadtest.report.Report;
import dev.herald.loadtest.rest.BenchUser;
import dev.herald.loadtest.rest.HeraldRest;
import dev.herald.loadtest.seed.HistorySeed;
import dev.herald.loadtest.server.DatabaseActivity;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario 6: history over ten million stored notifications (seeded with SQL): random users ask for their
 * latest 50, or for the page after it, at a fixed rate; end-to-end response time from the intended start.
 */
public final class History implements Scenario {

    private static final int PAGE = 50;

    @Override
    public Report run(Options options, PrintStream progress) throws Exception {
        int userCount = options.integer("users", 1_000);
        long total = Long.parseLong(options.text("notifications", "10000000"));
        int perUser = Math.toIntExact(total / userCount);
        double rate = options.decimal("rate", 2_000);
        Duration duration = options.duration("duration", Duration.ofSeconds(30));
        try (Bench bench = new Bench(options, progress)) {
            String jdbcUrl = bench.server.jdbcUrl().orElseThrow(
                    () -> new IllegalArgumentException("history needs --jdbc-url: its rows are seeded with SQL"));
            List<BenchUser> users = bench.users("lt-h-", userCount);
            long seeded = new HistorySeed(jdbcUrl, options.text("jdbc-user", "postgres"), options.text("jdbc-password", "postgres"))
                    .ensure(users.stream().map(BenchUser::id).toList(), perUser, progress);
            bench.log("%,d rows seeded now (%,d per user, %,d users)", seeded, perUser, userCount);

            // The cursor of the second page, read the way a client does, from the first one.
            BenchUser sample = users.getFirst();
            HttpResponse<String> first = bench.rest.get("/api/notifications?limit=" + PAGE, sample.token());
            JsonNode firstPage = HeraldRest.read(first.body());
            if (first.statusCode() != 200 || firstPage.path("items").size() != PAGE) {
                throw new IllegalStateException("latest page: HTTP " + first.statusCode() + " " + first.body());
            }
            long nextCursor = firstPage.path("nextCursor").asLong();
            HttpResponse<String> second = bench.rest.get("/api/notifications?limit=" + PAGE + "&before=" + nextCursor, sample.token());
            int secondItems = HeraldRest.read(second.body()).path("items").size();

            RequestPlan plan = stamp -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                BenchUser user = users.get(random.nextInt(users.size()));
                return random.nextBoolean()
                        ? PlannedRequest.get("/api/notifications?limit=" + PAGE, user.token())
                        : PlannedRequest.get("/api/notifications?limit=" + PAGE + "&before=" + nextCursor, user.token());
            };
            // As long as the other scenarios': on two cores shared with PostgreSQL and the generator,
            // the JIT is still compiling the request path 10 s in, and answers then take up to half a second.
            // The figure asked for is the steady state; cold-start measures a fresh JVM.
            Duration warmUp = options.duration("warmup", Duration.ofSeconds(30));
            bench.log("warming up for %s", warmUp);
            LoadOutcome outcome;
            Optional<DatabaseActivity> databaseBefore;
            double serverCpuBefore;
            double serverCpu;
            try (LoadRunner load = new LoadRunner(bench.server.url())) {
                int maxInFlight = options.integer("max-in-flight", 256);
                load.openLoop(plan, rate, warmUp, maxInFlight);
                bench.log("%.0f requests/s for %s", rate, duration);
                databaseBefore = bench.databaseActivity();
                serverCpuBefore = bench.server.probe().cpuSeconds();
                outcome = load.openLoop(plan, rate, duration, maxInFlight);
                serverCpu = bench.server.probe().cpuSeconds() - serverCpuBefore;
            }

            Report report = new Report("history")
                    .add(Figure.info("stored notifications", (double) perUser * userCount, "rows"))
                    .add(Figure.atLeast("requests per second", outcome.requestsPerSecond(), "/s", rate * 0.95))
                    .add(Figure.info("p50 end to end", outcome.responseMillis(50), "ms"))
                    .add(Figure.atMost("p99 end to end", outcome.responseMillis(99), "ms", 5).notComparable(outcome.notComparable()))
                    .add(Figure.info("p99.9 end to end", outcome.responseMillis(99.9), "ms"))
                    .add(Figure.info("max end to end", outcome.responseMicros().getMaxValue() / 1000.0, "ms"))
                    .add(Figure.info("server CPU per request", 1e6 * serverCpu / Math.max(1, outcome.requests()), "us"))
                    .count("requests", outcome.requests())
                    .count("succeeded", outcome.succeeded())
                    .count("unsent", outcome.unsent())
                    .count("first page items", firstPage.path("items").size())
                    .count("second page items", secondItems)
                    .note("half the requests ask for the latest " + PAGE + ", half for the next page (before=" + nextCursor + ")");
            if (outcome.failed() > 0) {
                report.note("failed requests by status: " + outcome.statuses() + "; first: " + outcome.firstFailure());
            }
            bench.addDatabaseActivity(report, "the measured requests", databaseBefore, outcome.requests(), "request");
            bench.addServerFigures(report);
            return report;
        }
    }
}
