package dev.herald.loadtest.server;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Commit -> deliver, measured: the instant PostgreSQL committed each sampled notification's row
 * ({@code pg_xact_commit_timestamp(xmin)}, which needs {@code track_commit_timestamp = on}) to the instant a
 * client received it. Both are readings of this host's wall clock. PostgreSQL takes the timestamp as it
 * writes the commit record, before it waits for the WAL flush, so the flush counts. A client cannot see the
 * commit, so without these timestamps only publish -> deliver, which includes the insert and the commit,
 * bounds it.
 *
 * @param micros           commit -> deliver of each sampled notification whose row was found, in microseconds
 * @param deliveredEarlier deliveries that arrived before their row's commit: Herald must never send one (it
 *                         stores before it sends), so any count here is a bug, not a latency
 * @param missing          sampled ids with no row, or whose commit timestamp PostgreSQL no longer keeps (it
 *                         keeps them for recent transactions only)
 */
public record CommitToDeliver(Histogram micros, long deliveredEarlier, long missing) {

    private static final int IDS_PER_QUERY = 5_000;

    /**
     * Looks up the commit of every received notification; empty when the database does not record commit
     * timestamps ({@code track_commit_timestamp} is off).
     */
    public static Optional<CommitToDeliver> measure(String url, String user, String password,
                                                    Map<String, Long> receivedMicros) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            try (ResultSet rs = db.createStatement().executeQuery("SELECT current_setting('track_commit_timestamp')")) {
                rs.next();
                if (!rs.getString(1).equals("on")) {
                    return Optional.empty();
                }
            }
            Histogram micros = new Histogram(3);
            long deliveredEarlier = 0;
            long found = 0;
            List<String> ids = new ArrayList<>(receivedMicros.keySet());
            try (PreparedStatement commits = db.prepareStatement("SELECT id::text,"
                    + " (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint"
                    + " FROM herald.notification WHERE id = ANY (?::uuid[]) AND pg_xact_commit_timestamp(xmin) IS NOT NULL")) {
                for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
                    Array chunk = db.createArrayOf("text", ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)).toArray());
                    commits.setArray(1, chunk);
                    try (ResultSet rs = commits.executeQuery()) {
                        while (rs.next()) {
                            found++;
                            long elapsed = receivedMicros.get(rs.getString(1)) - rs.getLong(2);
                            if (elapsed < 0) {
                                deliveredEarlier++;
                            } else {
                                micros.recordValue(elapsed);
                            }
                        }
                    }
                }
            }
            return Optional.of(new CommitToDeliver(micros, deliveredEarlier, ids.size() - found));
        }
    }

    /** A percentile in milliseconds; NaN when nothing was measured. */
    public double millis(double percentile) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1_000.0;
    }
}
