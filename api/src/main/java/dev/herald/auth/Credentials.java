package dev.herald.auth;

import com.nimbusds.jwt.JWT;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what Micronaut Security authenticated into a {@link Credential}. Herald's own tokens (issuer
 * {@code herald}) carry the user id in the {@code uid} claim; tokens of an external identity provider
 * (JWKS) name the user in {@code sub}, which is looked up, so a provider's claims never pick a Herald id.
 */
@Singleton
public final class Credentials {

    static final String USER_ID_CLAIM = "uid";

    private final UserRepository users;
    private final String ownIssuer;
    // Looked up when first used: the validator's JWKS client needs the HTTP binders, which need us.
    private final BeanProvider<JsonWebTokenValidator<JWT, HttpRequest<?>>> validator;
    private final BeanProvider<JwtAuthenticationFactory> authentications;

    Credentials(UserRepository users,
                @Property(name = "micronaut.security.token.jwt.claims-generator.issuer") String ownIssuer,
                BeanProvider<JsonWebTokenValidator<JWT, HttpRequest<?>>> validator,
                BeanProvider<JwtAuthenticationFactory> authentications) {
        this.users = users;
        this.ownIssuer = ownIssuer;
        this.validator = validator;
        this.authentications = authentications;
    }

    /** The credential of an authenticated request; empty when it names no Herald user. */
    public Optional<Credential> of(Authentication authentication) {
        return callerOf(authentication).map(caller -> new Credential(caller, expiryOf(authentication)));
    }

    /** Verifies a raw access token (signature, expiry) as the HTTP layer would. */
    public Optional<Credential> verify(String token) {
        return validator.get().validate(token, null).flatMap(authentications.get()::createAuthentication)
                .flatMap(this::of);
    }

    Optional<Caller> callerOf(Authentication authentication) {
        Set<String> roles = new HashSet<>(authentication.getRoles());
        roles.add(Roles.USER);
        Map<String, Object> claims = authentication.getAttributes();
        if (ownIssuer.equals(claims.get("iss")) && claims.get(USER_ID_CLAIM) instanceof Number id) {
            return Optional.of(new Caller(id.longValue(), authentication.getName(), Set.copyOf(roles)));
        }
        return users.findByUsername(authentication.getName())
                .map(user -> new Caller(user.id(), user.username(), Set.copyOf(roles)));
    }

    /** Own-issuer claims for an authentication Herald builds itself (tickets), so it resolves like a token. */
    Map<String, Object> claimsFor(long userId, Instant expiresAt) {
        return Map.of(USER_ID_CLAIM, userId, "iss", ownIssuer, "exp", expiresAt.getEpochSecond());
    }

    static Instant expiryOf(Authentication authentication) {
        Object exp = authentication.getAttributes().get("exp");
        if (exp instanceof Date date) {
            return date.toInstant();
        }
        if (exp instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        if (exp instanceof Instant instant) {
            return instant;
        }
        return Instant.MAX; // a token without expiry is only possible from an identity provider that allows it
    }
}
