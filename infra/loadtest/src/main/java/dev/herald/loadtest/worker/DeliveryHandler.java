package dev.herald.loadtest.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.Map;

/**
 * One benchmark connection: takes Herald's native-protocol messages, answers its {@code ping} messages
 * (Netty answers ping frames itself), and records every notification: latency from its stamp, and
 * exactly-once by seq (Herald delivers each user's notifications in seq order, each once). Given a topic,
 * it subscribes once connected, counts as connected once subscribed, and records the topic's messages the
 * same way, against the topic's seq.
 */
final class DeliveryHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final String PONG = "{\"type\":\"pong\"}";
    private static final int STALLED_RECEIVE_BUFFER = 4096;
    private static final ObjectMapper WRITER = new ObjectMapper();

    private final DeliveryStats stats;
    private final Runnable onConnected;
    private final Runnable onGone;
    private final String topic;
    private long lastSeq = -1;
    private long lastTopicSeq = -1;
    private boolean connected;
    private int closeCode = 1006;
    private volatile boolean stalled;

    /** @param topic the topic to subscribe to once connected, or null */
    DeliveryHandler(DeliveryStats stats, Runnable onConnected, Runnable onGone, String topic) {
        this.stats = stats;
        this.onConnected = onConnected;
        this.onGone = onGone;
        this.topic = topic;
    }

    /**
     * Stops taking anything off the socket: a client that stalled; its deliveries are counted apart. Its
     * receive buffer shrinks to the smallest the kernel allows, so what Herald sends it piles up on Herald's
     * side (its bounded queue) instead of in this host's loopback buffers (up to 32 MiB here).
     */
    void stall(ChannelHandlerContext context) {
        stalled = true;
        context.channel().config().setOption(ChannelOption.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
        context.channel().config().setAutoRead(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) throws IOException {
        if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            CloseWebSocketFrame answer = WebSocketCloseStatus.isValidStatusCode(closeCode)
                    ? new CloseWebSocketFrame(closeCode, close.reasonText()) : new CloseWebSocketFrame();
            context.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            return;
        }
        long now = System.nanoTime();
        NativeMessage message = NativeMessage.parse(frame.content());
        switch (message.type()) {
            case "notification" -> notification(message, now);
            case "topic_message" -> topicMessage(message, now);
            case "connected" -> {
                lastSeq = Math.max(0, message.cursor());
                if (topic == null) {
                    opened();
                } else {
                    context.writeAndFlush(new TextWebSocketFrame(
                            WRITER.writeValueAsString(Map.of("type", "subscribe", "topic", topic))));
                }
            }
            case "subscribed" -> {
                lastTopicSeq = Math.max(0, message.cursor());
                opened();
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

    private void opened() {
        connected = true;
        stats.opened();
        onConnected.run();
    }

    private void topicMessage(NativeMessage message, long now) {
        long seq = message.seq();
        if (lastTopicSeq < 0 || seq <= lastTopicSeq) {
            stats.duplicate(); // before subscribed, Herald sends none; at or below the last, it was had
            return;
        }
        if (seq > lastTopicSeq + 1) {
            stats.gap(seq - lastTopicSeq - 1);
        }
        lastTopicSeq = seq;
        stats.delivered(message.id(), message.stamp(), now, stalled);
    }

    private void notification(NativeMessage message, long now) {
        long seq = message.seq();
        if (seq <= lastSeq) {
            stats.duplicate();
            return;
        }
        if (lastSeq >= 0 && seq > lastSeq + 1) {
            stats.gap(seq - lastSeq - 1);
        }
        lastSeq = seq;
        stats.delivered(message.id(), message.stamp(), now, stalled);
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
