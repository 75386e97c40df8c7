package dev.herald.loadtest.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What PostgreSQL did in the background, counted from its statistics: checkpoints, vacuums and analyzes of
 * Herald's tables, and WAL written. Taken before and after a measured phase, it tells a p99 that a
 * checkpoint or an autovacuum fell into from one that Herald made: on a 2-core machine either one can
 * multiply the tail of a 30-second window.
 */
public record DatabaseActivity(long checkpoints, long vacuums, long analyzes, long walBytes) {

    public static DatabaseActivity read(String url, String user, String password) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password); Statement statement = db.createStatement()) {
            // PostgreSQL 17 moved the checkpoint counts from pg_stat_bgwriter to pg_stat_checkpointer.
            String checkpoints = db.getMetaData().getDatabaseMajorVersion() >= 17
                    ? "SELECT num_timed + num_requested FROM pg_stat_checkpointer"
                    : "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter";
            try (ResultSet rs = statement.executeQuery("SELECT (" + checkpoints + "),"
                    + " (SELECT coalesce(sum(vacuum_count + autovacuum_count), 0) FROM pg_stat_user_tables"
                    + "  WHERE schemaname = 'herald'),"
                    + " (SELECT coalesce(sum(analyze_count + autoanalyze_count), 0) FROM pg_stat_user_tables"
                    + "  WHERE schemaname = 'herald'),"
                    + " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                rs.next();
                return new DatabaseActivity(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    /** What happened between {@code before} and this reading. */
    public DatabaseActivity since(DatabaseActivity before) {
        return new DatabaseActivity(checkpoints - before.checkpoints, vacuums - before.vacuums,
                analyzes - before.analyzes, walBytes - before.walBytes);
    }

    /** For a report's note: "1 checkpoint, 0 vacuums and 2 analyzes of Herald's tables". */
    public String describe() {
        return plural(checkpoints, "checkpoint") + ", " + plural(vacuums, "vacuum") + " and "
                + plural(analyzes, "analyze") + " of Herald's tables";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
