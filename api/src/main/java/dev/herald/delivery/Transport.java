package dev.herald.delivery;

import java.util.concurrent.CompletableFuture;

/**
 * How one kind of live connection (WebSocket, SSE) frames and writes messages. Everything else (order,
 * resume, limits, keep-alive) is the transport-independent {@link Connection}'s job.
 */
interface Transport {

    /** Writes the message; the future completes when the bytes left for the socket. */
    CompletableFuture<?> send(ServerMessage message);

    void close(int code, String reason);

    /** False once the connection is gone, including after {@link #close} finished sending its close. */
    boolean isOpen();
}
