package dev.herald.pairing;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Pairings in PostgreSQL, so every replica sees the same state. Expiry is judged by the database's clock,
 * one clock for all replicas.
 */
@Singleton
class PairingStore {

    private final JdbcOperations jdbc;

    PairingStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A pairing that is neither completed nor expired. */
    record Open(UUID id, Instant expiresAt, boolean claimed) {
    }

    /** Who scanned a pairing, for the one stream that issues the tokens. */
    record Claim(long userId, String deviceLabel) {
    }

    /** What a node needs to know about a pairing whose device listens there. */
    record Status(boolean claimed, boolean completed, boolean expired) {
    }

    /** Stores a new pairing, and deletes expired ones (an indexed range, usually empty). */
    @Transactional
    Instant create(UUID id, byte[] codeHash, String deviceLabel, Duration ttl) {
        jdbc.prepareStatement("DELETE FROM pairing WHERE expires_at < now()", ps -> ps.executeUpdate());
        return jdbc.prepareStatement("""
                INSERT INTO pairing (id, code_hash, device_label, expires_at)
                VALUES (?, ?, ?, now() + make_interval(secs => ?))
                RETURNING expires_at""", ps -> {
            ps.setObject(1, id);
            ps.setBytes(2, codeHash);
            ps.setString(3, deviceLabel);
            ps.setDouble(4, seconds(ttl));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        });
    }

    @ReadOnly
    Optional<Open> findOpen(UUID id) {
        return jdbc.prepareStatement("""
                SELECT expires_at, claimed_by IS NOT NULL AS claimed FROM pairing
                WHERE id = ? AND completed_at IS NULL AND expires_at > now()""", ps -> {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Open(id, rs.getTimestamp("expires_at").toInstant(), rs.getBoolean("claimed")))
                        : Optional.<Open>empty();
            }
        });
    }

    /**
     * Claims the unexpired, unscanned pairing with this code for the user, and gives the device {@code
     * collectWithin} from now to collect the tokens. Empty when there is no such pairing: the code is
     * unknown, used or expired. Concurrent scans of one code serialise on the row; one wins.
     */
    @Transactional
    Optional<UUID> claim(byte[] codeHash, long userId, Duration collectWithin) {
        return jdbc.prepareStatement("""
                UPDATE pairing SET claimed_by = ?, claimed_at = now(), expires_at = now() + make_interval(secs => ?)
                WHERE code_hash = ? AND claimed_by IS NULL AND expires_at > now()
                RETURNING id""", ps -> {
            ps.setLong(1, userId);
            ps.setDouble(2, seconds(collectWithin));
            ps.setBytes(3, codeHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.<UUID>empty();
            }
        });
    }

    /** Marks a scanned pairing completed; only the first caller gets the claim, so tokens are issued once. */
    @Transactional
    Optional<Claim> complete(UUID id) {
        return jdbc.prepareStatement("""
                UPDATE pairing SET completed_at = now()
                WHERE id = ? AND claimed_by IS NOT NULL AND completed_at IS NULL AND expires_at > now()
                RETURNING claimed_by, device_label""", ps -> {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Claim(rs.getLong(1), rs.getString(2))) : Optional.<Claim>empty();
            }
        });
    }

    /** One query for all the pairings listened to on a node; a pairing missing from the answer is gone. */
    @ReadOnly
    Map<UUID, Status> statusOf(Collection<UUID> ids) {
        return jdbc.prepareStatement("""
                SELECT id, claimed_by IS NOT NULL, completed_at IS NOT NULL, expires_at <= now()
                FROM pairing WHERE id = ANY (?)""", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray()));
            Map<UUID, Status> statuses = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statuses.put(rs.getObject(1, UUID.class), new Status(rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
            return statuses;
        });
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
