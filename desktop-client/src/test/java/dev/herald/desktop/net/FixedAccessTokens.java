package dev.herald.desktop.net;

import java.util.concurrent.CompletableFuture;

/** Credentials for view-model tests: one token that never changes. */
public record FixedAccessTokens(String token) implements AccessTokens {

    public FixedAccessTokens() {
        this("token");
    }

    @Override
    public String current() {
        return token;
    }

    @Override
    public CompletableFuture<String> renew() {
        return CompletableFuture.completedFuture(token);
    }
}
