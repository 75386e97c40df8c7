package dev.herald.auth;

import jakarta.inject.Singleton;

/**
 * Signs a user in on a device that another of the user's signed-in devices vouched for (QR pairing). The
 * sign-in is a refresh-token family of its own, marked with the device's label, so the user sees it
 * among their sessions and can revoke it alone.
 */
@Singleton
public final class DeviceSessions {

    private final UserRepository users;
    private final RefreshTokenStore refreshTokens;
    private final TokenIssuer issuer;

    DeviceSessions(UserRepository users, RefreshTokenStore refreshTokens, TokenIssuer issuer) {
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
    }

    /** Joins the caller's transaction, so the sign-in is undone with whatever else the caller undoes. */
    public DeviceSession start(long userId, String deviceLabel) {
        User user = users.findById(userId)
                .orElseThrow(() -> new IllegalStateException("No user " + userId + " to sign in"));
        AccountViews.Tokens tokens = issuer.issue(user, refreshTokens.issueForDevice(userId, deviceLabel), true);
        return new DeviceSession(tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(), tokens.expiresIn(),
                user.username(), user.id());
    }
}
