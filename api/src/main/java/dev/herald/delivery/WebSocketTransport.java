package dev.herald.delivery;

import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import java.util.concurrent.CompletableFuture;

/** Native protocol over WebSocket: each message is one text frame {@code {"type","payload"}}. */
final class WebSocketTransport implements Transport {

    private final WebSocketSession session;

    WebSocketTransport(WebSocketSession session) {
        this.session = session;
    }

    @Override
    public CompletableFuture<?> send(ServerMessage message, long position) {
        return session.sendAsync(message.envelope());
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        if (session.isOpen()) {
            session.close(new CloseReason(code, reason));
        }
    }
}
