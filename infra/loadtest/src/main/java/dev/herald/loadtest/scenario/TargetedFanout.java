package dev.herald.loadtest.scenario;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.report.Report;
import java.io.PrintStream;

/** Scenario 2: 19,000 users connected, each publish to one random user. */
public final class TargetedFanout implements Scenario {

    @Override
    public Report run(Options options, PrintStream progress) {
        return DeliveryLoad.run(new DeliveryLoad.Plan("targeted-fanout", 19_000, 1, 64, 25_000,
                60_000, "max sustained deliveries per second", false, 10), options, progress);
    }
}
