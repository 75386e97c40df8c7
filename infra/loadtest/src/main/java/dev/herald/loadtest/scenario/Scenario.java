package dev.herald.loadtest.scenario;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.report.Report;
import java.io.PrintStream;

/** One benchmark scenario: runs against the server its options name and returns its figures. */
public interface Scenario {

    Report run(Options options, PrintStream progress) throws Exception;
}
