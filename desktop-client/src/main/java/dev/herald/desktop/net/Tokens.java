package dev.herald.desktop.net;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of login, refresh and QR pairing; {@code expiresIn} is the access token's lifetime in seconds. */
public record Tokens(@JsonProperty("access_token") String accessToken,
                     @JsonProperty("refresh_token") String refreshToken,
                     @JsonProperty("expires_in") long expiresIn) {
}
