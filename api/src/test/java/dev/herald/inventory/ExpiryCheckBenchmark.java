package dev.herald.inventory;

import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prints how the expiry check scales; it asserts nothing and is not part of the build (its name matches
 * none of Surefire's test patterns). Run it with
 * {@code ./mvnw -B -ntp -pl api test -Dtest=ExpiryCheckBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>It loads 1,000,000 products with {@code generate_series}: 10,000 due (5,000 expired, 5,000 within the
 * warning lead time), 490,000 expired long ago and already notified, 500,000 expiring later. It prints the
 * plans of both claim statements, then runs the check once (which sends 10,000 notifications) and again
 * (nothing left to do).
 */
@Tag("benchmark")
class ExpiryCheckBenchmark {

    static final int USERS = 1_000;
    static final int PRODUCTS = 1_000_000;
    static final int EXPIRED = 5_000;
    static final int EXPIRING = 5_000;
    static final int HANDLED = 490_000;

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.inventory.scheduled-checks", false));

    @Test
    void oneMillionProductsTenThousandDue() throws Exception {
        try (Connection db = herald.db(); Statement sql = db.createStatement()) {
            long loading = System.nanoTime();
            sql.execute("INSERT INTO app_user (username, password_hash) SELECT 'bench-' || g, 'x' FROM generate_series(1, " + USERS + ") g");
            sql.execute("""
                    INSERT INTO product (user_id, name, quantity, expires_at, warned_at, expired_notified_at)
                    SELECT u.first + g %% %d, 'Product ' || g, 1 + g %% 5,
                           CASE WHEN g <= %d THEN now() - make_interval(secs => g)
                                WHEN g <= %d THEN now() + interval '1 day' + make_interval(secs => g)
                                WHEN g <= %d THEN now() - interval '400 days' + make_interval(secs => g)
                                ELSE now() + interval '30 days' + make_interval(secs => g) END,
                           CASE WHEN g > %d AND g <= %d THEN now() - interval '300 days' END,
                           CASE WHEN g > %d AND g <= %d THEN now() - interval '300 days' END
                    FROM generate_series(1, %d) g, (SELECT min(id) AS first FROM app_user WHERE username LIKE 'bench-%%') u
                    """.formatted(USERS, EXPIRED, EXPIRED + EXPIRING, EXPIRED + EXPIRING + HANDLED,
                    EXPIRED + EXPIRING, EXPIRED + EXPIRING + HANDLED, EXPIRED + EXPIRING, EXPIRED + EXPIRING + HANDLED,
                    PRODUCTS));
            sql.execute("VACUUM ANALYZE product");
            System.out.printf("%nLoaded %,d products for %,d users in %d ms%n", PRODUCTS, USERS, (System.nanoTime() - loading) / 1_000_000);
            System.out.printf("Due: %,d expired + %,d expiring = %,d; already notified: %,d; later: %,d%n", EXPIRED, EXPIRING,
                    EXPIRED + EXPIRING, HANDLED, PRODUCTS - EXPIRED - EXPIRING - HANDLED);

            InventoryConfig config = herald.bean(InventoryConfig.class);
            printPlan(db, "Claim of due expirations", DueProducts.CLAIM_EXPIRED, config.claimTimeout().toSeconds(),
                    "now()", config.checkBatchSize());
            printPlan(db, "Claim of due warnings", DueProducts.CLAIM_EXPIRING, config.claimTimeout().toSeconds(),
                    "now()", "now() + interval '" + config.warningLeadTime().toSeconds() + " seconds'", config.checkBatchSize());

            ExpiryCheck check = herald.bean(ExpiryCheck.class);
            ExpiryCheck.Summary first = check.run(Instant.now());
            ExpiryCheck.Summary second = check.run(Instant.now());
            System.out.printf("First run:  %,d expired + %,d warned in %,d ms (%,.0f notifications/s; batch size %d, %d workers)%n",
                    first.expired(), first.warned(), first.durationMs(),
                    (first.expired() + first.warned()) * 1000.0 / Math.max(1, first.durationMs()), config.checkBatchSize(),
                    config.checkWorkers());
            System.out.printf("Second run: %,d expired + %,d warned in %,d ms%n", second.expired(), second.warned(), second.durationMs());
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM notification")) {
                rs.next();
                System.out.printf("Notifications stored: %,d%n%n", rs.getLong(1));
            }
        }
    }

    /** EXPLAIN ANALYZE of a claim, in a transaction that is rolled back so the claim does not stick. */
    private static void printPlan(Connection db, String title, String claim, Object... parameters) throws Exception {
        String statement = claim;
        for (Object parameter : parameters) {
            statement = statement.replaceFirst("\\?", String.valueOf(parameter));
        }
        db.setAutoCommit(false);
        try (Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement)) {
            System.out.println(title + ":");
            while (rs.next()) {
                System.out.println("  " + rs.getString(1));
            }
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }
}
