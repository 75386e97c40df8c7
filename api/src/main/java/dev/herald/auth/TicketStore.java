package dev.herald.auth;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** One-time WebSocket/SSE tickets: short-lived, single use, valid on every replica. */
@Singleton
class TicketStore {

    static final Duration LIFETIME = Duration.ofSeconds(30);

    private final JdbcOperations jdbc;
    private final Credentials credentials;

    TicketStore(JdbcOperations jdbc, Credentials credentials) {
        this.jdbc = jdbc;
        this.credentials = credentials;
    }

    @Transactional
    String issue(Credential credential) {
        String ticket = OpaqueTokens.newToken();
        jdbc.prepareStatement("DELETE FROM ws_ticket WHERE user_id = ? AND expires_at < now()", ps -> {
            ps.setLong(1, credential.caller().userId());
            return ps.executeUpdate();
        });
        jdbc.prepareStatement("""
                INSERT INTO ws_ticket (ticket_hash, user_id, expires_at, credential_expires_at)
                VALUES (?, ?, ?, ?)""", ps -> {
            ps.setBytes(1, OpaqueTokens.storedForm(ticket));
            ps.setLong(2, credential.caller().userId());
            ps.setTimestamp(3, Timestamp.from(Instant.now().plus(LIFETIME)));
            Instant credentialExpiry = credential.expiresAt().equals(Instant.MAX)
                    ? Instant.now().plus(Duration.ofDays(1)) : credential.expiresAt();
            ps.setTimestamp(4, Timestamp.from(credentialExpiry));
            return ps.executeUpdate();
        });
        return ticket;
    }

    /**
     * Uses the ticket up: the authentication it stands for, or empty if it is unknown, used or expired, or
     * if the token it was issued for has expired since (a ticket never outlives its token).
     */
    @Transactional
    Optional<Authentication> redeem(String ticket) {
        return jdbc.prepareStatement("""
                WITH used AS (DELETE FROM ws_ticket WHERE ticket_hash = ? RETURNING user_id, expires_at,
                                                                                    credential_expires_at)
                SELECT u.id, u.username, u.roles, used.credential_expires_at
                FROM used JOIN app_user u ON u.id = used.user_id
                WHERE used.expires_at > now() AND used.credential_expires_at > now()""", ps -> {
            ps.setBytes(1, OpaqueTokens.storedForm(ticket));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Authentication>empty();
                }
                long userId = rs.getLong(1);
                Instant expiresAt = rs.getTimestamp(4).toInstant();
                return Optional.of(Authentication.build(rs.getString(2),
                        Arrays.asList((String[]) rs.getArray(3).getArray()),
                        credentials.claimsFor(userId, expiresAt)));
            }
        });
    }
}
