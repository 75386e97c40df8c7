package dev.herald.loadtest.scenario;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.report.Report;
import java.io.PrintStream;

/**
 * Scenario 7 (issue #9): durable fan-out through {@code POST /api/notifications/batch}, batches of 100 to
 * random users among 5,000 connected: deliveries per second, latency at 10,000 per second, CPU per delivery.
 */
public final class BatchFanout implements Scenario {

    @Override
    public Report run(Options options, PrintStream progress) {
        return DeliveryLoad.run(new DeliveryLoad.Plan("batch-fanout", 5_000, 100, 8, 10_000,
                DeliveryLoad.Plan.NONE, "max deliveries per second (batches)", false, DeliveryLoad.Plan.NONE), options, progress);
    }
}
