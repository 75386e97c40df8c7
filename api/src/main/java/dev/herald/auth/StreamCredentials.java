package dev.herald.auth;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Authenticates a stream request that bypasses Micronaut Security (the native WebSocket upgrade, which
 * Herald handshakes itself) by the same rules the HTTP layer applies to the event stream
 * ({@link StreamTokenReader}, {@link TicketAuthenticationFetcher}). The credentials, in the brief's order of
 * preference: an {@code Authorization: Bearer} header, else a one-time {@code ?ticket=}, else
 * {@code ?token=} or {@code ?access_token=}. The most preferred one present decides: when it is invalid the
 * request is refused rather than tried with the next, so a spent ticket never quietly becomes a token in a
 * URL, and a bad header never spends a ticket. An {@code Authorization} header of another scheme (a proxy's
 * Basic credentials) is not Herald's and is passed over. Redeeming a ticket is a database write, so call this
 * off the event loop.
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
        if (isBearer(authorization)) {
            return credentials.verify(authorization.substring(BEARER.length()).strip());
        }
        if (present(ticket)) {
            return tickets.redeem(ticket).flatMap(credentials::of);
        }
        if (present(token)) {
            return credentials.verify(token);
        }
        return Optional.empty();
    }

    static boolean isBearer(@Nullable String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    static boolean present(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
