package dev.herald.delivery;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits right after the HTTP codec of every HTTP/1.1 connection and passes everything on to Micronaut,
 * except a request for {@code /ws}: that one takes the connection over ({@link NativeHandshake}). A client
 * that pipelined requests before its upgrade would lose their answers; WebSocket clients do not.
 */
final class NativeUpgrade extends ChannelInboundHandlerAdapter {

    static final String NAME = "herald-ws-upgrade";

    private final NativeHandshake handshake;
    private boolean takenOver;

    NativeUpgrade(NativeHandshake handshake) {
        this.handshake = handshake;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (takenOver) {
            ReferenceCountUtil.release(msg); // the rest of the upgrade request: a GET has no body to read
            return;
        }
        if (msg instanceof HttpRequest request && NativeHandshake.isNativePath(request.uri())) {
            takenOver = true;
            try {
                handshake.accept(ctx, request);
            } finally {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
