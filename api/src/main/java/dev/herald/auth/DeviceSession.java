package dev.herald.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The tokens of a newly signed-in device, in the shape of the login answer, plus whom they sign in as (a
 * device that signed in without typing a name has no other way to know).
 */
@Serdeable
public record DeviceSession(@JsonProperty("access_token") String accessToken,
                            @JsonProperty("refresh_token") String refreshToken,
                            @JsonProperty("token_type") String tokenType,
                            @JsonProperty("expires_in") long expiresIn,
                            String username,
                            long userId) {
}
