package dev.herald.loadtest.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The publishing side of the load over Netty: HTTP/1.1 keep-alive connections, one request in flight on
 * each, opened as the load needs them and reused. On a 2-core host the generator's own CPU is taken from
 * the server under test; this costs a fraction of what the JDK's client does per request.
 */
public final class NettyHttpLoadClient implements AutoCloseable {

    private static final AttributeKey<CompletableFuture<HttpAnswer>> PENDING = AttributeKey.valueOf("pending");

    private final URI base;
    private final String host;
    // One event loop: every connection's I/O, and the open loop's schedule, on one thread.
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    private final ConcurrentLinkedQueue<Channel> idle = new ConcurrentLinkedQueue<>();
    private final Bootstrap bootstrap;

    public NettyHttpLoadClient(URI base) {
        this.base = base;
        this.host = base.getHost() + ":" + base.getPort();
        this.bootstrap = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 << 20), new AnswerHandler());
                    }
                });
    }

    /** The thread all of this client's connections live on: a request sent from it is written at once. */
    EventLoop eventLoop() {
        return group.next();
    }

    public CompletableFuture<HttpAnswer> send(PlannedRequest request) {
        CompletableFuture<HttpAnswer> answer = new CompletableFuture<>();
        Channel channel = idle.poll();
        while (channel != null && !channel.isActive()) {
            channel = idle.poll();
        }
        if (channel != null) {
            write(channel, request, answer);
        } else {
            bootstrap.connect(base.getHost(), base.getPort()).addListener((ChannelFutureListener) connected -> {
                if (connected.isSuccess()) {
                    write(connected.channel(), request, answer);
                } else {
                    answer.completeExceptionally(connected.cause());
                }
            });
        }
        return answer;
    }

    private void write(Channel channel, PlannedRequest request, CompletableFuture<HttpAnswer> answer) {
        channel.attr(PENDING).set(answer);
        channel.writeAndFlush(toNetty(request)).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                answer.completeExceptionally(written.cause());
                written.channel().close();
            }
        });
    }

    private FullHttpRequest toNetty(PlannedRequest request) {
        ByteBuf body = request.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(request.body(), StandardCharsets.UTF_8);
        FullHttpRequest netty = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                request.body() == null ? HttpMethod.GET : HttpMethod.POST, request.path(), body);
        netty.headers().set(HttpHeaderNames.HOST, host);
        if (request.token() != null) {
            netty.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + request.token());
        }
        if (request.body() != null) {
            netty.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        netty.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        request.headers().forEach(netty.headers()::set);
        return netty;
    }

    /** Completes the channel's one pending request, then puts the channel back for the next one. */
    private final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
            CompletableFuture<HttpAnswer> answer = context.channel().attr(PENDING).getAndSet(null);
            int status = response.status().code();
            // Bodies of successes are not decoded: the load only needs their status.
            String errorBody = status >= 300 ? response.content().toString(StandardCharsets.UTF_8) : null;
            boolean keepAlive = HttpUtil.isKeepAlive(response);
            if (keepAlive) {
                idle.add(context.channel());
            } else {
                context.close();
            }
            if (answer != null) {
                answer.complete(new HttpAnswer(status, errorBody));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            CompletableFuture<HttpAnswer> answer = context.channel().attr(PENDING).getAndSet(null);
            if (answer != null) {
                answer.completeExceptionally(new IOException("connection closed before the response"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
