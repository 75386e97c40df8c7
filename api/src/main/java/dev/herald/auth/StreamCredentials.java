package dev.herald.auth;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Authenticates a stream request that bypasses Micronaut Security (the native WebSocket upgrade, which
 * Herald handshakes itself) by the same rules the HTTP layer applies to the other stream endpoints: the
 * {@code Authorization: Bearer} header wins; without it, {@code ?token=} or {@code ?access_token=}; without
 * those, a one-time {@code ?ticket=}. Redeeming a ticket is a database write, so call this off the event loop.
 */
@Singleton
public final class StreamCredentials {

    private static final String BEARER = "bearer ";

    private final Credentials credentials;
    private final TicketStore tickets;

    StreamCredentials(Credentials credentials, TicketStore tickets) {
        this.credentials = credentials;
        this.tickets = tickets;
    }

    /** Empty when the request carries no credential, or one that is invalid, expired or used up. */
    public Optional<Credential> authenticate(@Nullable String authorization, @Nullable String token,
                                             @Nullable String ticket) {
        if (authorization != null) {
            boolean bearer = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
            return bearer ? credentials.verify(authorization.substring(BEARER.length()).strip()) : Optional.empty();
        }
        if (present(token)) {
            return credentials.verify(token);
        }
        if (present(ticket)) {
            return tickets.redeem(ticket).flatMap(credentials::of);
        }
        return Optional.empty();
    }

    private static boolean present(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
