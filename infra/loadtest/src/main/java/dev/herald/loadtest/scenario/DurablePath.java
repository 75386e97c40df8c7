package dev.herald.loadtest.scenario;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.report.Report;
import java.io.PrintStream;

/**
 * Scenario 4: every notification is stored in PostgreSQL, then delivered (Herald always does this; here the
 * point is the storage rate): sustained notifications per second and p99 at 8,000 per second.
 */
public final class DurablePath implements Scenario {

    @Override
    public Report run(Options options, PrintStream progress) {
        return DeliveryLoad.run(new DeliveryLoad.Plan("durable", 2_000, 1, 64, 8_000,
                8_000, "sustained stored notifications per second", true, 30),
                options, progress);
    }
}
