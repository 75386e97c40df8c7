package dev.herald.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.report.Figure;
import dev.herald.loadtest.report.Report;
import dev.herald.loadtest.server.DatabaseActivity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario at tiny scale, through the same entry point as a real run, against the herald.jar this
 * build just packaged on a database of its own: so the generator cannot rot. Each asserts what proves the
 * scenario measured something real: every notification delivered exactly once, counts that add up, and a
 * printed table with every figure in it.
 */
class ScenarioSmokeIT {

    private static Path heraldJar;

    @BeforeAll
    static void heraldJarWasBuilt() {
        heraldJar = Path.of(System.getProperty("herald.jar", "../../api/target/herald.jar"));
        assertThat(heraldJar).as("the api module packages herald.jar before this module runs").exists();
    }

    @Test
    void connectStormOpensEveryConnectionAndWeighsItsHeap() throws Exception {
        Run run = run("connect-storm", "--connections", "40", "--hold", "2s", "--per-worker", "25");

        assertThat(run.report.count("connected")).isEqualTo(40);
        assertThat(run.report.count("failed")).isZero();
        assertThat(run.report.count("open after hold")).isEqualTo(40);
        // Forty connections weigh about 100 KiB, less than the heap after GC moves by itself from one
        // measurement to the next (it came out negative once): at this scale the figure can only be computed.
        assertThat(run.value("heap per idle connection")).isFinite();
        assertThat(run.value("handshakes per second")).isPositive();
        run.printed("handshakes per second", "heap per idle connection", "server CPU while idle", "server RSS", "<= 2.93 KiB");
    }

    @Test
    void targetedFanoutDeliversEveryNotificationExactlyOnce() throws Exception {
        Run run = run("targeted-fanout", "--connections", "30", "--warmup", "1s", "--duration", "2s", "--rate", "100",
                "--concurrency", "4");

        assertDeliveredExactlyOnce(run.report);
        assertThat(run.value("max sustained deliveries per second")).isPositive();
        assertThat(run.value("p99 publish -> deliver")).isPositive();
        run.printed("max sustained deliveries per second", "p99 publish -> deliver", "p99.9 publish -> deliver",
                "max publish -> deliver", ">= 60,000 /s", "<= 10 ms");
    }

    @Test
    void durablePathStoresAndDeliversEveryNotificationOnce() throws Exception {
        Run run = run("durable", "--connections", "20", "--warmup", "1s", "--duration", "2s", "--rate", "100",
                "--concurrency", "4");

        assertDeliveredExactlyOnce(run.report);
        // Every stored notification writes WAL: a figure of zero would mean the readings missed the phase.
        assertThat(run.value("WAL per stored notification (the fixed rate)")).isPositive();
        // The smoke runs' PostgreSQL is a process of this host, so its CPU is counted.
        assertThat(run.value("PostgreSQL CPU per stored notification (the fixed rate)")).isPositive();
        // The smoke runs' PostgreSQL records commit timestamps: every sampled delivery is matched with its
        // row's commit, none arrived before it (stored before sent), and it took longer than nothing.
        assertThat(run.report.count("commit -> deliver sampled")).isPositive()
                .isLessThanOrEqualTo(run.report.count("delivered"));
        assertThat(run.report.count("delivered before commit")).isZero();
        assertThat(run.report.count("sampled without a commit timestamp")).isZero();
        assertThat(run.value("p99 commit -> deliver")).isPositive();
        assertThat(run.value("p99 commit -> deliver")).isLessThanOrEqualTo(run.value("max publish -> deliver"));
        run.printed("sustained stored notifications per second", "p99 commit -> deliver", "p99 publish -> deliver",
                ">= 8,000 /s", "<= 30 ms", "track_commit_timestamp",
                "PostgreSQL settings: ", "shared_buffers=", "autovacuum=", "PostgreSQL during the fixed rate: ",
                "of Herald's tables");
    }

    @Test
    void historyPagesThroughSeededNotifications() throws Exception {
        String jdbcUrl = SmokeDatabase.freshJdbcUrl();
        DatabaseActivity before = DatabaseActivity.read(jdbcUrl, "postgres", "postgres");
        Run run = runOn(jdbcUrl, "history", "--users", "10", "--notifications", "2000", "--warmup", "1s",
                "--duration", "2s", "--rate", "50");

        assertThat(DatabaseActivity.read(jdbcUrl, "postgres", "postgres").since(before).checkpoints())
                .as("the seed's pages are written out before the measurement, not during it").isPositive();

        assertThat(run.report.count("first page items")).isEqualTo(50);
        assertThat(run.report.count("second page items")).isEqualTo(50);
        assertThat(run.report.count("requests")).isGreaterThanOrEqualTo(95);
        assertThat(run.report.count("succeeded")).isEqualTo(run.report.count("requests"));
        assertThat(run.value("stored notifications")).isEqualTo(2000);
        // A hundred small reads may take less than one 10 ms tick of the kernel's CPU clock.
        assertThat(run.value("PostgreSQL CPU per request (the measured requests)")).isFinite().isNotNegative();
        assertThat(run.value("server CPU per request")).isFinite().isNotNegative();
        run.printed("p99 end to end", "p99.9 end to end", "<= 5 ms", "PostgreSQL during the measured requests: ");
    }

    @Test
    void coldStartTimesFirstWebSocketAndFirstDelivery() throws Exception {
        Run run = run("cold-start", "--runs", "1", "--modes", "default");

        assertThat(run.report.count("default runs")).isEqualTo(1);
        assertThat(run.value("default: launch -> first accepted WebSocket (median)")).isPositive();
        assertThat(run.value("default: launch -> first delivery (median)"))
                .isGreaterThanOrEqualTo(run.value("default: launch -> first accepted WebSocket (median)"));
        run.printed("launch -> first accepted WebSocket", "launch -> first delivery", "<= 1,500 ms");
    }

    /** Needs issue #9's {@code "audience":"all"}. */
    @Test
    void broadcastReachesEveryConnectionOnceAndStalledClientsStayBounded() throws Exception {
        Run run = run("broadcast", "--connections", "200", "--bursts", "2", "--warmup-bursts", "1", "--pause", "100ms", "--per-worker", "100");

        assertThat(run.report.count("delivered")).isEqualTo(run.report.count("expected"));
        assertThat(run.report.count("duplicates")).isZero();
        assertThat(run.report.count("gaps")).isZero();
        assertThat(run.value("stalled clients")).isEqualTo(2);
        // Sent more than Herald holds for a connection, they were closed rather than held.
        assertThat(run.value("sent to each stalled client")).isGreaterThan(1.0);
        assertThat(run.value("stalled clients Herald closed")).isEqualTo(2);
        assertThat(run.value("WAL per stored notification (the bursts with all reading)")).isPositive();
        run.printed("time to last delivery (median of bursts)", "p99 of reading clients with 1% stalled",
                "heap growth with 1% stalled", "<= 100 ms");
    }

    @Test
    void topicBroadcastReachesEverySubscribedConnectionOnceFromOneStoredRow() throws Exception {
        Run run = run("broadcast", "--topic", "smoke", "--connections", "200", "--bursts", "2", "--warmup-bursts", "1",
                "--pause", "100ms", "--per-worker", "100");

        assertThat(run.report.scenario()).isEqualTo("broadcast-topic");
        assertThat(run.report.count("delivered")).isEqualTo(run.report.count("expected"));
        assertThat(run.report.count("duplicates")).isZero();
        assertThat(run.report.count("gaps")).isZero();
        assertThat(run.report.count("recipients per burst")).isEqualTo(200);
        assertThat(run.value("stalled clients Herald closed")).isEqualTo(2);
        run.printed("time to last delivery (median of bursts)", "WAL per stored topic message", "one message on a topic",
                "server CPU per delivery", "load generator CPU per delivery");
    }

    /** Needs issue #9's {@code POST /api/notifications/batch}. */
    @Test
    void batchFanoutDeliversEveryBatchedNotificationOnce() throws Exception {
        Run run = run("batch-fanout", "--connections", "50", "--batch", "10", "--warmup", "1s", "--duration", "2s",
                "--rate", "200", "--concurrency", "2");

        assertDeliveredExactlyOnce(run.report);
        assertThat(run.value("notifications per request")).isEqualTo(10);
        run.printed("max deliveries per second (batches)", "p50 publish -> deliver", "p99 publish -> deliver",
                "server CPU per delivery");
    }

    private static void assertDeliveredExactlyOnce(Report report) {
        assertThat(report.count("failed requests")).as("failed publish requests").isZero();
        assertThat(report.count("published")).isPositive();
        assertThat(report.count("delivered")).as("every published notification delivered").isEqualTo(report.count("published"));
        assertThat(report.count("duplicates")).isZero();
        assertThat(report.count("gaps")).isZero();
        assertThat(report.count("closed")).isZero();
    }

    private record Run(Report report, String printed) {

        double value(String figure) {
            return report.figure(figure).map(Figure::value)
                    .orElseThrow(() -> new AssertionError("no figure " + figure + " in " + report.figures()));
        }

        void printed(String... texts) {
            assertThat(printed).contains(texts);
        }
    }

    private static Run run(String scenario, String... options) throws Exception {
        return runOn(SmokeDatabase.freshJdbcUrl(), scenario, options);
    }

    private static Run runOn(String jdbcUrl, String scenario, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(scenario, "--server", heraldJar.toString(),
                "--jdbc-url", jdbcUrl, "--xmx", "512m"));
        args.addAll(List.of(options));
        Report report = Main.run(Options.parse(args), System.out);
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        report.print(new PrintStream(table, true, StandardCharsets.UTF_8));
        String printed = table.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        return new Run(report, printed);
    }

}
