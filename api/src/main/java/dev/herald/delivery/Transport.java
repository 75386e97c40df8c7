package dev.herald.delivery;

import io.micronaut.core.annotation.Nullable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * How one kind of live connection (native WebSocket, SSE, long-poll, the ExpireEye dialect) frames and
 * writes messages. Everything else (order, resume, limits, keep-alive) is the transport-independent
 * {@link Connection}'s job.
 */
interface Transport {

    /**
     * Writes the message; the future completes when the bytes left for the socket.
     *
     * @param position the seq up to which the client has every notification once it has this message,
     *                 or -1 before the connection started (SSE sends it as the event id, so that a
     *                 reconnecting EventSource resumes from it)
     */
    CompletableFuture<?> send(ServerMessage message, long position);

    void close(int code, String reason);

    /** False once the connection is gone, including after {@link #close} finished sending its close. */
    boolean isOpen();

    /**
     * The thread that writes to this transport, where a write costs no hand-over (a WebSocket's event loop),
     * or null for transports without one.
     */
    default @Nullable Executor writer() {
        return null;
    }

    /**
     * Whether the client answers the server's pings. On one-way transports (SSE, long-poll) a ping is a
     * heartbeat, and a write that completes is what shows the client still reads.
     */
    default boolean answersPings() {
        return true;
    }
}
