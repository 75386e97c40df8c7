package dev.herald.delivery;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An open WebSocket on a Netty channel, as the transports write to it. Closing sends the close frame and
 * waits a moment for the client's answer before dropping TCP, as the WebSocket closing handshake asks, so
 * the client reads the code rather than a reset.
 */
final class WebSocketChannel {

    /** How long a close waits for the client's close frame; a client that stopped reading never sends it. */
    static final Duration CLOSE_LINGER = Duration.ofSeconds(2);
    // A flag updated through a VarHandle, not an AtomicBoolean: one of these per idle socket.
    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(WebSocketChannel.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Channel channel;
    private volatile boolean closing;

    WebSocketChannel(Channel channel) {
        this.channel = channel;
    }

    /** Completes when the frame left for the socket. */
    CompletableFuture<?> sendText(String text) {
        // Encoded straight into a pooled buffer: no intermediate byte[] per frame.
        return completion(channel.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text))));
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    CompletableFuture<?> sendPing() {
        return completion(channel.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER)));
    }

    /** False once the channel is gone or this side sent its close frame. */
    boolean isOpen() {
        return !closing && channel.isActive();
    }

    /** Sends the close frame once, whoever calls (the connection, the frame handler) and however often. */
    void close(int code, String reason) {
        if (!CLOSING.compareAndSet(this, false, true)) {
            return;
        }
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_LINGER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** True once this side sent its close frame: the client's close frame then ends the connection. */
    boolean closing() {
        return closing;
    }

    private static CompletableFuture<Void> completion(ChannelFuture future) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        future.addListener(done -> {
            if (done.isSuccess()) {
                written.complete(null);
            } else {
                written.completeExceptionally(done.cause());
            }
        });
        return written;
    }
}
