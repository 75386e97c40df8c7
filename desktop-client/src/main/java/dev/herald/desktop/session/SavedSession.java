package dev.herald.desktop.session;

import java.net.URI;
import java.time.Instant;

/** A sign-in as it is kept on disk: which server, who, and the tokens with the access token's expiry. */
public record SavedSession(URI server, String username, String accessToken, String refreshToken, Instant accessExpiresAt) {
}
