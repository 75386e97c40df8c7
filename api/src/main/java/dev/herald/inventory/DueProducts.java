package dev.herald.inventory;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The expiry check's work queue in the product table: claiming due products in batches, and recording
 * them as done. Each method is one short transaction of its own. The partial indexes
 * {@code product_expiration_due_idx} and {@code product_warning_due_idx} (V4) hold exactly the products
 * whose notice is still to be done, so a claim reads only due rows. With 1,000,000 products of which 10,000
 * are due ({@code ExpiryCheckBenchmark}), a claim of 200 is:
 * <pre>
 * Update on product p                                        (rows=200, 8.7 ms in all)
 *   -&gt; Nested Loop
 *        -&gt; Subquery Scan on due -&gt; Limit -&gt; LockRows
 *             -&gt; Index Scan using product_expiration_due_idx on product   (rows=200, 0.2 ms, 6 buffers)
 *                  Index Cond: ((expires_at &lt;= now()) AND (expires_at IS NOT NULL))
 *                  Filter: ((expired_notified_at IS NULL) AND ((claimed_until IS NULL) OR (claimed_until &lt; now())))
 *        -&gt; Index Scan using product_pkey on product p (id = due.id)
 * </pre>
 */
@Singleton
class DueProducts {

    /**
     * Claims up to n products whose expiration notice is due: expired at the instant given, not yet done,
     * and not claimed by a check that is still within its claim. Parameters: claim (seconds), now, n.
     */
    static final String CLAIM_EXPIRED = claim("expired_notified_at IS NULL AND expires_at <= ?");

    /**
     * Claims up to n products whose warning is due: expiring after now but within the lead time, not yet
     * warned, not claimed. Parameters: claim (seconds), now, now + lead time, n.
     */
    static final String CLAIM_EXPIRING = claim("warned_at IS NULL AND expires_at > ? AND expires_at <= ?");

    private final JdbcOperations jdbc;

    DueProducts(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    List<DueProduct> claim(ExpiryNotice kind, Instant now, Duration lead, int limit, Duration claim) {
        String sql = kind == ExpiryNotice.EXPIRED ? CLAIM_EXPIRED : CLAIM_EXPIRING;
        return jdbc.prepareStatement(sql, ps -> {
            int next = 1;
            ps.setDouble(next++, claim.toMillis() / 1000.0);
            ps.setTimestamp(next++, Timestamp.from(now));
            if (kind == ExpiryNotice.EXPIRING) {
                ps.setTimestamp(next++, Timestamp.from(now.plus(lead)));
            }
            ps.setInt(next, limit);
            List<DueProduct> due = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant expiresAt = rs.getTimestamp("expires_at").toInstant();
                    ExpiryDate expiry = ExpiryDate.stored(rs.getObject("expiry_date", LocalDate.class), expiresAt);
                    due.add(new DueProduct(rs.getLong("id"), rs.getLong("user_id"), rs.getString("name"), expiry,
                            expiresAt));
                }
            }
            return due;
        });
    }

    /**
     * Records the notice as done and lets go of the claim. An expired product's warning is done too: a
     * warning that it will expire would come too late.
     */
    @Transactional
    void done(ExpiryNotice kind, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        String set = kind == ExpiryNotice.EXPIRED
                ? "expired_notified_at = now(), warned_at = coalesce(warned_at, now())"
                : "warned_at = now()";
        update("UPDATE product SET " + set + ", claimed_until = NULL WHERE id = ANY (?)", ids);
    }

    /** Lets go of claims without recording anything, so that the next check takes the products at once. */
    @Transactional
    void release(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            update("UPDATE product SET claimed_until = NULL WHERE id = ANY (?)", ids);
        }
    }

    /** A claim of the rows that meet {@code due}, soonest expiry first, skipping rows other checks hold. */
    private static String claim(String due) {
        return """
                UPDATE product p SET claimed_until = now() + make_interval(secs => ?)
                FROM (SELECT id FROM product
                      WHERE %s AND expires_at IS NOT NULL
                        AND (claimed_until IS NULL OR claimed_until < now())
                      ORDER BY expires_at
                      LIMIT ?
                      FOR UPDATE SKIP LOCKED) due
                WHERE p.id = due.id
                RETURNING p.id, p.user_id, p.name, p.expiry_date, p.expires_at""".formatted(due);
    }

    private void update(String sql, Collection<Long> ids) {
        jdbc.prepareStatement(sql, ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids.toArray()));
            return ps.executeUpdate();
        });
    }
}
