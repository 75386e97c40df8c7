package dev.herald.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * Account and token settings ({@code herald.auth.*}).
 *
 * @param jwtSecret       HS256 signing secret for access tokens ({@code HERALD_JWT_SECRET})
 * @param adminPassword   when set and no user exists yet, the user {@code admin} is created with it
 * @param accessTokenTtl  lifetime of an access token
 * @param refreshTokenTtl lifetime of a refresh token (each refresh issues a new one)
 * @param bcryptCost      bcrypt work factor; 12 takes about a quarter second here
 * @param validatedTokens how many validated access tokens to remember until they expire (0: check every
 *                        request's signature and claims anew)
 */
@ConfigurationProperties("herald.auth")
record AuthConfig(@NotBlank String jwtSecret,
                  @Nullable String adminPassword,
                  Duration accessTokenTtl,
                  Duration refreshTokenTtl,
                  @Min(4) @Max(20) int bcryptCost,
                  @Min(0) int validatedTokens) {
}
