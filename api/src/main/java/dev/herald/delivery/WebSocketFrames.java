package dev.herald.delivery;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an open socket: hands text frames to the endpoint's protocol, answers ping frames,
 * counts pong frames as signs of life, completes the closing handshake, and tells the {@link Connection}
 * when the socket is gone. Continuation frames arrive already joined ({@code WebSocketFrameAggregator}
 * sits before it).
 */
final class WebSocketFrames extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrames.class);

    private final BiConsumer<Connection, String> protocol;
    private final WebSocketChannel socket;
    // Set on the event loop before the channel reads its first frame, and only read there.
    private Connection connection;

    WebSocketFrames(BiConsumer<Connection, String> protocol, WebSocketChannel socket) {
        this.protocol = protocol;
        this.socket = socket;
    }

    void attach(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case TextWebSocketFrame text -> {
                    if (connection != null && !socket.closing()) {
                        protocol.accept(connection, text.text());
                    }
                }
                case PingWebSocketFrame ping -> {
                    heard();
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                }
                case PongWebSocketFrame pong -> heard();
                case CloseWebSocketFrame close -> {
                    if (socket.closing()) {
                        ctx.close(); // the client's answer to our close
                    } else {
                        ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, close.content().retain()))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                }
                default -> socket.close(CloseCodes.UNSUPPORTED_DATA, "Text frames only");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.transportClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        switch (cause) {
            // The frame decoder already sent its close frame (1002, or 1009 for one oversized frame) and closes.
            case CorruptedWebSocketFrameException corrupted -> LOG.debug("Bad frame: {}", corrupted.getMessage());
            case TooLongFrameException tooLong -> socket.close(CloseCodes.TOO_BIG, "Frame too large");
            default -> {
                LOG.debug("WebSocket failed", cause);
                ctx.close();
            }
        }
    }

    private void heard() {
        if (connection != null) {
            connection.heard();
        }
    }
}
