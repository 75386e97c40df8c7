package dev.herald.delivery;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits right after the HTTP codec of every HTTP/1.1 connection and passes everything on to Micronaut,
 * except a request for one of Herald's WebSocket endpoints: that one takes the connection over
 * ({@link WebSocketHandshake}). A client that pipelined requests before its upgrade would lose their
 * answers; WebSocket clients do not.
 */
final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {

    static final String NAME = "herald-websocket-upgrade";

    private final WebSocketHandshake handshake;
    private boolean takenOver;

    WebSocketUpgrade(WebSocketHandshake handshake) {
        this.handshake = handshake;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (takenOver) {
            ReferenceCountUtil.release(msg); // the rest of the upgrade request: a GET has no body to read
            return;
        }
        if (msg instanceof HttpRequest request) {
            WebSocketEndpoint endpoint = handshake.endpointFor(request.uri());
            if (endpoint != null) {
                takenOver = true;
                try {
                    handshake.accept(ctx, request, endpoint);
                } finally {
                    ReferenceCountUtil.release(msg);
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
