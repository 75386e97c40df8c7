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
import java.util.Map;

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
            int topClasses = options.integer("class-histogram", 0);
            Map<String, long[]> classesBefore = topClasses > 0 ? bench.server.probe().classHistogram() : Map.of();
            long heapBefore = bench.server.probe().heapAfterGc();
            long rssBefore = bench.server.probe().rss();
            Fleet.ConnectOutcome outcome = bench.connect(users);
            // Let the server finish what the storm started (registrations, first buffers) before weighing.
            Fleet.sleep(Duration.ofSeconds(2));
            long heapAfter = bench.server.probe().heapAfterGc();
            long rssAfter = bench.server.probe().rss();
            double perConnection = (double) (heapAfter - heapBefore) / outcome.connected();
            if (topClasses > 0) {
                printClassGrowth(classesBefore, bench.server.probe().classHistogram(), outcome.connected(), topClasses, progress);
            }
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
                    .add(Figure.atMost("heap per idle connection", Bench.kib(perConnection), "KiB", Bench.kib(3_000)))
                    .add(Figure.info("RSS per connection", Bench.kib((double) (rssAfter - rssBefore) / outcome.connected()), "KiB"))
                    .add(Figure.info("server CPU while idle", 100.0 * cpuSeconds / heldSeconds, "% of a core"))
                    .add(Figure.info("keep-alive pings answered", idle.pings(), "pings"))
                    .count("connected", outcome.connected())
                    .count("failed", outcome.failed())
                    .count("open after hold", idle.open())
                    .count("closed during hold", idle.closed())
                    .count("pings", idle.pings())
                    .note("heap per connection = (heap after GC with the connections - before) / connections; "
                            + "the target, 3 KB, is 3,000 bytes (2.93 KiB); references: Netty's floor ~1.9 KB, stock Micronaut ~5.8 KB");
            bench.addServerFigures(report);
            return report;
        }
    }

    /** Where the heap of a connection goes: the classes that grew most, in bytes and instances per connection. */
    private static void printClassGrowth(Map<String, long[]> before, Map<String, long[]> after,
                                         int connections, int top, PrintStream progress) {
        progress.printf("[connect-storm] heap growth per connection by class (top %d):%n", top);
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(top)
                .forEach(e -> progress.printf("  %8.0f B  %6.2f objects  %s%n", (double) e.getValue()[1] / connections,
                        (double) e.getValue()[0] / connections, e.getKey()));
    }
}
