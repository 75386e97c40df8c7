package dev.herald.inventory;

import io.micronaut.context.ApplicationContext;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code java -jar herald.jar expiry-check}: one expiry check, then exit (0 when it ran, 1 when it could not),
 * for a deployment that scales to zero and is woken by a cron job. It starts the application context
 * without the HTTP server and without the scheduled check, so it only migrates the schema if needed, runs
 * the check and stops. It is safe alongside running nodes: checks never notify twice.
 */
public final class ExpiryCheckCommand {

    public static final String NAME = "expiry-check";

    private ExpiryCheckCommand() {
    }

    /** Runs the command; {@code args} are Micronaut's command-line properties ({@code -name=value}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try (ApplicationContext context = ApplicationContext.builder()
                .args(args)
                .properties(Map.of("herald.inventory.scheduled-checks", false))
                .start()) {
            ExpiryCheck.Summary summary = context.getBean(ExpiryCheck.class).run();
            out.printf("expiry-check: warned=%d expired=%d checkedAt=%s durationMs=%d%n", summary.warned(),
                    summary.expired(), summary.checkedAt(), summary.durationMs());
            return 0;
        } catch (RuntimeException | Error e) {
            err.println("expiry-check failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
