package dev.herald.auth;

import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.inject.Singleton;
import java.util.Map;

/** Issues the pair a client holds: a short-lived signed access token and a stored refresh token. */
@Singleton
final class TokenIssuer {

    private final TokenGenerator tokens;
    private final AuthConfig config;

    TokenIssuer(TokenGenerator tokens, AuthConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    AccountViews.Tokens issue(User user, String refreshToken) {
        int ttl = Math.toIntExact(config.accessTokenTtl().toSeconds());
        Authentication authentication = Authentication.build(user.username(), user.roles(),
                Map.of(Credentials.USER_ID_CLAIM, user.id()));
        String accessToken = tokens.generateToken(authentication, ttl)
                .orElseThrow(() -> new IllegalStateException("No access token could be signed"));
        return new AccountViews.Tokens(accessToken, refreshToken, "Bearer", ttl);
    }
}
