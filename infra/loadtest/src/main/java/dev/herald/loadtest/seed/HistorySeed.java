package dev.herald.loadtest.seed;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored history for scenario 6, written with SQL straight into Herald's tables (ten million rows through
 * the API would take hours and measure something else). Rows look like Herald's: per user seq 1..n with
 * the cursor at n, time-ordered UUIDv7-shaped ids (so the primary key grows at its right edge as Herald's
 * do), all read but the newest ten. Users that already have their rows are left alone, so a second run
 * against the same database starts at once.
 */
public final class HistorySeed {

    private static final int USERS_PER_STATEMENT = 20;

    private final String jdbcUrl;
    private final String user;
    private final String password;

    public HistorySeed(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** Gives each user exactly {@code perUser} notifications (if it has none yet); returns rows written. */
    public long ensure(List<Long> userIds, int perUser, PrintStream progress) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            List<Long> missing = new ArrayList<>();
            try (PreparedStatement cursors = db.prepareStatement(
                    "SELECT u.id FROM unnest(?::bigint[]) AS u(id) LEFT JOIN herald.notification_cursor c ON c.user_id = u.id "
                            + "WHERE coalesce(c.last_seq, 0) < ?")) {
                cursors.setArray(1, db.createArrayOf("bigint", userIds.toArray()));
                cursors.setLong(2, perUser);
                try (ResultSet rows = cursors.executeQuery()) {
                    while (rows.next()) {
                        missing.add(rows.getLong(1));
                    }
                }
            }
            long written = 0;
            long start = System.nanoTime();
            for (int from = 0; from < missing.size(); from += USERS_PER_STATEMENT) {
                List<Long> chunk = missing.subList(from, Math.min(missing.size(), from + USERS_PER_STATEMENT));
                written += seed(db, chunk, perUser);
                progress.printf("[history] seeded %,d rows for %d of %d users (%.0f s)%n", written,
                        Math.min(missing.size(), from + USERS_PER_STATEMENT), missing.size(), (System.nanoTime() - start) / 1e9);
            }
            if (written > 0) {
                // As a long-lived table is: statistics for the planner, hint bits and the visibility map set. Else
                // the measured reads would be the first to touch each page (and dirty it), and autovacuum's run
                // over ten million new rows could fall into the measurement.
                db.setAutoCommit(true);
                try (PreparedStatement vacuum = db.prepareStatement("VACUUM (ANALYZE) herald.notification")) {
                    vacuum.execute();
                }
                checkpoint(db, progress);
            }
            return written;
        }
    }

    /**
     * Writes the seed's gigabytes of dirty pages out now. Left to the checkpointer, they are written over the
     * next minutes, during this scenario's requests and whatever runs next (cold starts measured while that went
     * on had a median of 3.8 s, against 2.5 to 2.8 s on the same machine after a CHECKPOINT).
     */
    private static void checkpoint(Connection db, PrintStream progress) throws SQLException {
        try (PreparedStatement checkpoint = db.prepareStatement("CHECKPOINT")) {
            checkpoint.execute();
        } catch (SQLException refused) {
            if (!"42501".equals(refused.getSQLState())) {
                throw refused;
            }
            // CHECKPOINT needs a superuser or pg_checkpoint; without either, say so and go on.
            progress.println("[history] no CHECKPOINT after seeding (" + refused.getMessage().strip()
                    + "): the checkpointer writes the seed out during the measurement");
        }
    }

    private static long seed(Connection db, List<Long> userIds, int perUser) throws SQLException {
        db.setAutoCommit(false);
        Object[] ids = userIds.toArray();
        try (PreparedStatement clear = db.prepareStatement("DELETE FROM herald.notification WHERE user_id = ANY(?::bigint[])");
             PreparedStatement insert = db.prepareStatement("""
                     INSERT INTO herald.notification (id, user_id, seq, type, title, message, data, created_at, read_at)
                     SELECT (lpad(to_hex(ms), 12, '0') || '7' || lpad(to_hex(s % 4096), 3, '0') || '8'
                             || lpad(to_hex(u.id * 100000000 + s), 15, '0'))::uuid,
                            u.id, s, 'bench.history', 'History item ' || s, 'Seeded for the history benchmark',
                            jsonb_build_object('n', s), to_timestamp(ms / 1000.0),
                            CASE WHEN s <= ? - 10 THEN to_timestamp(ms / 1000.0) END
                     FROM unnest(?::bigint[]) AS u(id)
                     CROSS JOIN generate_series(1, ?) AS s
                     CROSS JOIN LATERAL (SELECT (extract(epoch FROM now()) * 1000)::bigint - (? - s) * 60000 AS ms) AS t
                     ORDER BY u.id, s
                     """);
             PreparedStatement cursor = db.prepareStatement("""
                     INSERT INTO herald.notification_cursor (user_id, last_seq) SELECT u.id, ? FROM unnest(?::bigint[]) AS u(id)
                     ON CONFLICT (user_id) DO UPDATE SET last_seq = excluded.last_seq
                     """)) {
            clear.setArray(1, db.createArrayOf("bigint", ids));
            clear.execute();
            insert.setInt(1, perUser);
            insert.setArray(2, db.createArrayOf("bigint", ids));
            insert.setInt(3, perUser);
            insert.setInt(4, perUser);
            long rows = insert.executeUpdate();
            cursor.setInt(1, perUser);
            cursor.setArray(2, db.createArrayOf("bigint", ids));
            cursor.execute();
            db.commit();
            return rows;
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }
}
