package dev.herald.auth;

import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.inject.Singleton;
import java.util.Map;

/** Issues the pair a client holds: a short-lived signed access token and a stored refresh token. */
@Singleton
final class TokenIssuer {

    /** Present (true) in the access tokens of a paired device's sign-in. */
    static final String DEVICE_SESSION_CLAIM = "device_session";

    private final TokenGenerator tokens;
    private final AuthConfig config;

    TokenIssuer(TokenGenerator tokens, AuthConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    AccountViews.Tokens issue(User user, String refreshToken) {
        return issue(user, refreshToken, false);
    }

    /** @param deviceSession whether the sign-in is a paired device's, which its access tokens then say */
    AccountViews.Tokens issue(User user, String refreshToken, boolean deviceSession) {
        int ttl = Math.toIntExact(config.accessTokenTtl().toSeconds());
        Map<String, Object> claims = deviceSession
                ? Map.of(Credentials.USER_ID_CLAIM, user.id(), DEVICE_SESSION_CLAIM, true)
                : Map.of(Credentials.USER_ID_CLAIM, user.id());
        Authentication authentication = Authentication.build(user.username(), user.roles(), claims);
        String accessToken = tokens.generateToken(authentication, ttl)
                .orElseThrow(() -> new IllegalStateException("No access token could be signed"));
        return new AccountViews.Tokens(accessToken, refreshToken, "Bearer", ttl);
    }
}
