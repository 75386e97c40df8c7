package dev.herald.loadtest.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.io.InputStream;

/**
 * One benchmark connection: takes Herald's native-protocol messages, answers its {@code ping} messages
 * (Netty answers ping frames itself), and records every notification: latency from its stamp, and
 * exactly-once by seq (Herald delivers each user's notifications in seq order, each once).
 */
final class DeliveryHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PONG = "{\"type\":\"pong\"}";

    private final DeliveryStats stats;
    private final Runnable onConnected;
    private final Runnable onGone;
    private long lastSeq = -1;
    private boolean connected;
    private int closeCode = 1006;
    private volatile boolean stalled;

    DeliveryHandler(DeliveryStats stats, Runnable onConnected, Runnable onGone) {
        this.stats = stats;
        this.onConnected = onConnected;
        this.onGone = onGone;
    }

    /** Stops taking anything off the socket: a client that stalled; its deliveries are counted apart. */
    void stall(ChannelHandlerContext context) {
        stalled = true;
        context.channel().config().setAutoRead(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) throws IOException {
        if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            return;
        }
        long now = System.nanoTime();
        JsonNode message = JSON.readTree((InputStream) new ByteBufInputStream(frame.content()));
        JsonNode payload = message.path("payload");
        switch (message.path("type").asText()) {
            case "notification" -> notification(payload, now);
            case "connected" -> {
                lastSeq = payload.path("cursor").asLong(0);
                connected = true;
                stats.opened();
                onConnected.run();
            }
            case "ping" -> {
                stats.ping();
                context.writeAndFlush(new TextWebSocketFrame(PONG));
            }
            case "error" -> stats.error();
            default -> {
                // replayed, read-state changes, pong: nothing to measure
            }
        }
    }

    private void notification(JsonNode payload, long now) {
        long seq = payload.path("seq").asLong();
        if (seq <= lastSeq) {
            stats.duplicate();
            return;
        }
        if (lastSeq >= 0 && seq > lastSeq + 1) {
            stats.gap(seq - lastSeq - 1);
        }
        lastSeq = seq;
        stats.delivered(payload.path("id").asText(), payload.path("data").path("t").asLong(0), now, stalled);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        if (connected) {
            stats.closed(closeCode);
        }
        onGone.run();
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }
}
