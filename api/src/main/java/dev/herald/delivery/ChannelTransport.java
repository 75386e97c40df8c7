package dev.herald.delivery;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The native protocol straight on a Netty channel: each message is one text frame {@code {"type","payload"}}.
 * Closing sends the close frame and waits a moment for the client's answer before dropping TCP, as the
 * WebSocket closing handshake asks, so the client reads the code rather than a reset.
 */
final class ChannelTransport implements Transport {

    /** How long a close waits for the client's close frame; a client that stopped reading never sends it. */
    static final Duration CLOSE_LINGER = Duration.ofSeconds(2);

    private final Channel channel;
    private volatile boolean closing;

    ChannelTransport(Channel channel) {
        this.channel = channel;
    }

    @Override
    public CompletableFuture<?> send(ServerMessage message, long position) {
        // Encoded straight into a pooled buffer: no intermediate byte[] per frame.
        TextWebSocketFrame frame = new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), message.envelope()));
        return completion(channel.writeAndFlush(frame));
    }

    @Override
    public boolean isOpen() {
        return !closing && channel.isActive();
    }

    @Override
    public void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
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
