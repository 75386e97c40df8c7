package dev.herald.inventory;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.ZoneId;

/**
 * Each owner's time zone, in which their date-only expiry dates end (UTC until they set one).
 *
 * <p>A product's expiry instant is resolved with the zone when the product is written, and re-resolved
 * when the zone changes. {@link #forWriting} reads the zone FOR SHARE and {@link #set} takes the row
 * exclusively, so a product write and a zone change never interleave: either the write sees the new zone,
 * or the change's re-resolution sees the written product.
 */
@Singleton
class UserTimeZones {

    static final ZoneId DEFAULT = ZoneId.of("UTC");

    private final JdbcOperations jdbc;

    UserTimeZones(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @ReadOnly
    ZoneId of(long userId) {
        return jdbc.prepareStatement("SELECT time_zone FROM user_time_zone WHERE user_id = ?", ps -> {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ZoneId.of(rs.getString(1)) : DEFAULT;
            }
        });
    }

    /** The zone, locked against a concurrent change until the caller's transaction ends. */
    @Transactional
    ZoneId forWriting(long userId) {
        // The row must exist to be locked; a user who never chose a zone gets the default row here.
        jdbc.prepareStatement("INSERT INTO user_time_zone (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING", ps -> {
            ps.setLong(1, userId);
            return ps.executeUpdate();
        });
        return jdbc.prepareStatement("SELECT time_zone FROM user_time_zone WHERE user_id = ? FOR SHARE", ps -> {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return ZoneId.of(rs.getString(1));
            }
        });
    }

    /** Sets the zone, holding the row exclusively until the caller's transaction ends. */
    @Transactional
    void set(long userId, ZoneId zone) {
        jdbc.prepareStatement("""
                INSERT INTO user_time_zone (user_id, time_zone) VALUES (?, ?)
                ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone""", ps -> {
            ps.setLong(1, userId);
            ps.setString(2, zone.getId());
            return ps.executeUpdate();
        });
    }
}
