package dev.herald.loadtest;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.report.Report;
import dev.herald.loadtest.scenario.BatchFanout;
import dev.herald.loadtest.scenario.BroadcastBurst;
import dev.herald.loadtest.scenario.ColdStart;
import dev.herald.loadtest.scenario.ConnectStorm;
import dev.herald.loadtest.scenario.DurablePath;
import dev.herald.loadtest.scenario.History;
import dev.herald.loadtest.scenario.Scenario;
import dev.herald.loadtest.scenario.TargetedFanout;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code java -jar herald-loadtest.jar <scenario> [--option value ...]}: runs one scenario and prints its figures. */
public final class Main {

    public static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("connect-storm", new ConnectStorm());
        SCENARIOS.put("targeted-fanout", new TargetedFanout());
        SCENARIOS.put("broadcast", new BroadcastBurst());
        SCENARIOS.put("durable", new DurablePath());
        SCENARIOS.put("cold-start", new ColdStart());
        SCENARIOS.put("history", new History());
        SCENARIOS.put("batch-fanout", new BatchFanout());
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !SCENARIOS.containsKey(args[0])) {
            System.err.println("usage: java -jar herald-loadtest.jar <" + String.join("|", SCENARIOS.keySet())
                    + "> (--server api/target/herald.jar [--jdbc-url URL] | --url URL --server-pid PID) [options]; "
                    + "see infra/loadtest/README.md");
            System.exit(2);
        }
        run(Options.parse(Arrays.asList(args)), System.out).print(System.out);
        System.exit(0);
    }

    /** Runs one scenario; its progress goes to {@code progress}, its figures are in the report. */
    public static Report run(Options options, PrintStream progress) throws Exception {
        return SCENARIOS.get(options.scenario()).run(options, progress);
    }
}
