package dev.herald.auth;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opaque refresh tokens, stored as SHA-256 hashes. A token works once: using it marks it used and issues
 * its successor in the same family. Presenting a used or revoked token revokes the whole family, so a
 * stolen token that is replayed after the owner refreshed locks the thief out (and the owner signs in again).
 */
@Singleton
class RefreshTokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenStore.class);
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final JdbcOperations jdbc;
    private final AuthConfig config;

    RefreshTokenStore(JdbcOperations jdbc, AuthConfig config) {
        this.jdbc = jdbc;
        this.config = config;
    }

    /**
     * A successful rotation: whose token it was, the token that replaces it, and the device label of its
     * sign-in (null for a password sign-in).
     */
    record Rotation(long userId, String refreshToken, @Nullable String deviceLabel) {
    }

    /** Starts a new family (a sign-in) for the user and returns its first token. */
    @Transactional
    String issue(long userId) {
        return insert(userId, IDS.generate(), null);
    }

    /** Starts a new family marked as the session of a paired device, so its owner can tell it apart. */
    @Transactional
    String issueForDevice(long userId, String deviceLabel) {
        return insert(userId, IDS.generate(), deviceLabel);
    }

    @Transactional
    Optional<Rotation> rotate(String token) {
        record Stored(UUID id, long userId, UUID family, Instant expiresAt, boolean spent, String deviceLabel) {
        }
        Optional<Stored> found = jdbc.prepareStatement("""
                SELECT id, user_id, family_id, expires_at, (used_at IS NOT NULL OR revoked_at IS NOT NULL) AS spent,
                       device_label
                FROM refresh_token WHERE token_hash = ? FOR UPDATE""", ps -> {
            ps.setBytes(1, OpaqueTokens.storedForm(token));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Stored(rs.getObject("id", UUID.class), rs.getLong("user_id"),
                        rs.getObject("family_id", UUID.class), rs.getTimestamp("expires_at").toInstant(),
                        rs.getBoolean("spent"), rs.getString("device_label")))
                        : Optional.<Stored>empty();
            }
        });
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Stored stored = found.get();
        if (stored.spent()) {
            int revoked = revokeFamily(stored.family());
            LOG.warn("Refresh token reused for user {}: revoked {} token(s) of its family", stored.userId(), revoked);
            return Optional.empty();
        }
        if (stored.expiresAt().isBefore(Instant.now())) {
            return Optional.empty();
        }
        jdbc.prepareStatement("UPDATE refresh_token SET used_at = now() WHERE id = ?", ps -> {
            ps.setObject(1, stored.id());
            return ps.executeUpdate();
        });
        return Optional.of(new Rotation(stored.userId(), insert(stored.userId(), stored.family(), stored.deviceLabel()),
                stored.deviceLabel()));
    }

    /** Revokes the family the token belongs to (sign-out). Unknown tokens are ignored. */
    @Transactional
    void revoke(String token) {
        jdbc.prepareStatement("""
                UPDATE refresh_token SET revoked_at = now()
                WHERE revoked_at IS NULL
                  AND family_id = (SELECT family_id FROM refresh_token WHERE token_hash = ?)""", ps -> {
            ps.setBytes(1, OpaqueTokens.storedForm(token));
            return ps.executeUpdate();
        });
    }

    /**
     * The user's sign-ins that can still be refreshed, most recently used first. A family's rows are its
     * successive tokens: the first was issued at sign-in, the newest at its last refresh.
     */
    @ReadOnly
    List<AccountViews.Session> sessions(long userId) {
        return jdbc.prepareStatement("""
                SELECT family_id, max(device_label) AS device_label, min(created_at) AS created_at,
                       max(created_at) AS last_used_at
                FROM refresh_token WHERE user_id = ?
                GROUP BY family_id
                HAVING bool_and(revoked_at IS NULL)
                   AND bool_or(used_at IS NULL AND expires_at > now())
                ORDER BY last_used_at DESC""", ps -> {
            ps.setLong(1, userId);
            List<AccountViews.Session> sessions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String deviceLabel = rs.getString("device_label");
                    sessions.add(new AccountViews.Session(rs.getObject("family_id", UUID.class), deviceLabel != null,
                            deviceLabel, rs.getTimestamp("created_at").toInstant(),
                            rs.getTimestamp("last_used_at").toInstant()));
                }
            }
            return sessions;
        });
    }

    /** Revokes one of the user's sign-ins; false when the user has no live sign-in with that id. */
    @Transactional
    boolean revokeSession(long userId, UUID family) {
        return jdbc.prepareStatement(
                "UPDATE refresh_token SET revoked_at = now() WHERE family_id = ? AND user_id = ? AND revoked_at IS NULL",
                ps -> {
                    ps.setObject(1, family);
                    ps.setLong(2, userId);
                    return ps.executeUpdate() > 0;
                });
    }

    private int revokeFamily(UUID family) {
        return jdbc.prepareStatement(
                "UPDATE refresh_token SET revoked_at = now() WHERE family_id = ? AND revoked_at IS NULL", ps -> {
                    ps.setObject(1, family);
                    return ps.executeUpdate();
                });
    }

    private String insert(long userId, UUID family, @Nullable String deviceLabel) {
        String token = OpaqueTokens.newToken();
        jdbc.prepareStatement("""
                INSERT INTO refresh_token (id, user_id, family_id, token_hash, expires_at, device_label)
                VALUES (?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setObject(1, IDS.generate());
            ps.setLong(2, userId);
            ps.setObject(3, family);
            ps.setBytes(4, OpaqueTokens.storedForm(token));
            ps.setTimestamp(5, Timestamp.from(Instant.now().plus(config.refreshTokenTtl())));
            ps.setString(6, deviceLabel);
            return ps.executeUpdate();
        });
        return token;
    }
}
