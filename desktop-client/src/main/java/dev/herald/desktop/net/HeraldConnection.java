package dev.herald.desktop.net;

/**
 * The live connection to Herald: connects, reconnects with backoff and resumes from the last seq it saw, so
 * every notification reaches its listeners exactly once. No JavaFX types, so it can be tested anywhere.
 */
public interface HeraldConnection {

    void addListener(ConnectionEvents listener);

    ConnectionState state();

    /** The highest seq seen; -1 before the first connection. */
    long lastSeq();

    void start();

    /** Closes the socket and stops reconnecting; {@code signedOut} reports {@link ConnectionState.SignedOut}. */
    void stop(boolean signedOut);

    /** Hands the server a refreshed access token so the open socket outlives the old one ({@code auth} message). */
    void renewCredential(String accessToken);
}
