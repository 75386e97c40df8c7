package dev.herald.loadtest.scenario;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.fleet.DeliveryTally;
import dev.herald.loadtest.fleet.Fleet;
import dev.herald.loadtest.report.Figure;
import dev.herald.loadtest.report.Report;
import dev.herald.loadtest.rest.BenchUser;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 1: every connection handshakes at once, then all sit idle with keep-alive. Measures handshakes
 * per second, the heap one idle connection costs (heap after full GC with them minus without, divided by
 * their number) and the server's CPU while they are idle.
 */
public final class ConnectStorm implements Scenario {

    @Override
    public Report run(Options options, PrintStream progress) {
        int connections = options.integer("connections", 19_000);
        Duration hold = options.duration("hold", Duration.ofSeconds(60));
        try (Bench bench = new Bench(options, progress)) {
            List<BenchUser> users = bench.users(Bench.USER_PREFIX, connections);
            long heapBefore = bench.server.probe().heapAfterGc();
            long rssBefore = bench.server.probe().rss();
            Fleet.ConnectOutcome outcome = bench.connect(users);
            // Let the server finish what the storm started (registrations, first buffers) before weighing.
            Fleet.sleep(Duration.ofSeconds(2));
            long heapAfter = bench.server.probe().heapAfterGc();
            long rssAfter = bench.server.probe().rss();
            double perConnection = (double) (heapAfter - heapBefore) / outcome.connected();
            bench.log("holding %d idle connections for %s", outcome.connected(), hold);

            bench.fleet().report();
            double cpuBefore = bench.server.probe().cpuSeconds();
            long holdStart = System.nanoTime();
            Fleet.sleep(hold);
            double cpuSeconds = bench.server.probe().cpuSeconds() - cpuBefore;
            double heldSeconds = (System.nanoTime() - holdStart) / 1e9;
            DeliveryTally idle = bench.fleet().report();

            Report report = new Report("connect-storm")
                    .add(Figure.info("connections", outcome.connected(), "conn"))
                    .add(Figure.info("handshakes per second", outcome.perSecond(), "/s"))
                    .add(Figure.atMost("heap per idle connection", Bench.kib(perConnection), "KiB", 3.0))
                    .add(Figure.info("RSS per connection", Bench.kib((double) (rssAfter - rssBefore) / outcome.connected()), "KiB"))
                    .add(Figure.info("server CPU while idle", 100.0 * cpuSeconds / heldSeconds, "% of a core"))
                    .add(Figure.info("keep-alive pings answered", idle.pings(), "pings"))
                    .count("connected", outcome.connected())
                    .count("failed", outcome.failed())
                    .count("open after hold", idle.open())
                    .count("closed during hold", idle.closed())
                    .count("pings", idle.pings())
                    .note("heap per connection = (heap after GC with the connections - before) / connections; "
                            + "references: Netty's floor ~1.9 KB, stock Micronaut ~5.8 KB");
            bench.addServerFigures(report);
            return report;
        }
    }
}
