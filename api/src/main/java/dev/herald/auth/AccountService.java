package dev.herald.auth;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Set;

/** Sign-in, token refresh and account creation. */
@Singleton
final class AccountService {

    /** One message for an unknown user and a wrong password, so the answer does not reveal which. */
    static final String BAD_CREDENTIALS = "Invalid username or password";

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final RefreshTokenStore refreshTokens;
    private final TokenIssuer issuer;

    AccountService(UserRepository users, PasswordHasher passwords, RefreshTokenStore refreshTokens,
                   TokenIssuer issuer) {
        this.users = users;
        this.passwords = passwords;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
    }

    AccountViews.Tokens login(String username, String password) {
        User user = users.findByUsername(username)
                .filter(found -> passwords.matches(password, found.passwordHash()))
                .orElseGet(() -> {
                    passwords.matchesNothing(password);
                    throw new HttpStatusException(HttpStatus.UNAUTHORIZED, BAD_CREDENTIALS);
                });
        return issuer.issue(user, refreshTokens.issue(user.id()));
    }

    AccountViews.Tokens refresh(String refreshToken) {
        RefreshTokenStore.Rotation rotation = refreshTokens.rotate(refreshToken)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Invalid or expired refresh token"));
        User user = users.findById(rotation.userId())
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Invalid or expired refresh token"));
        return issuer.issue(user, rotation.refreshToken(), rotation.deviceLabel() != null);
    }

    void signOut(String refreshToken) {
        refreshTokens.revoke(refreshToken);
    }

    User create(String username, String password, Set<String> requestedRoles) {
        Set<String> roles = new HashSet<>(requestedRoles == null ? Set.of() : requestedRoles);
        roles.add(Roles.USER);
        return users.insert(username, passwords.hash(password), roles)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.CONFLICT, "Username is taken: " + username));
    }
}
