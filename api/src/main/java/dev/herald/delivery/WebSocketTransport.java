package dev.herald.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Native protocol over WebSocket: each message is one text frame {@code {"type","payload"}}. */
final class WebSocketTransport implements Transport {

    private final WebSocketChannel socket;

    WebSocketTransport(WebSocketChannel socket) {
        this.socket = socket;
    }

    @Override
    public CompletableFuture<?> send(ServerMessage message, long position) {
        return socket.sendText(message.envelope());
    }

    @Override
    public Executor writer() {
        return socket.eventLoop();
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }
}
