package dev.herald.desktop.net;

import java.util.concurrent.CompletableFuture;

/** Where the connection gets its credential: the signed-in session. */
public interface AccessTokens {

    String current();

    /** A fresh access token after the server refused the current one; fails with 401 when the sign-in is revoked. */
    CompletableFuture<String> renew();
}
