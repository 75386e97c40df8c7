package dev.herald.loadtest.worker;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens many authenticated WebSocket connections to Herald, a bounded number of handshakes at a time,
 * each from one of several loopback source addresses (each address has its own ~28,000 ephemeral ports).
 */
final class Connector implements AutoCloseable {

    private static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup group;
    private final DeliveryStats stats;
    private final List<Channel> channels = new ArrayList<>();

    Connector(int threads, DeliveryStats stats) {
        // Linux's epoll where its native library loads, as the publisher has: a lighter read path than NIO's
        // selector, and the workers share the two cores with the server they measure.
        this.group = new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.stats = stats;
    }

    record Outcome(int connected, int failed, long startNanos, long endNanos, String firstFailure) {
    }

    /** @param topic the topic every connection subscribes to, or null */
    Outcome connect(URI webSocketUrl, List<String> tokens, List<String> sourceAddresses, int concurrency, String topic)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch settled = new CountDownLatch(tokens.size());
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastConnected = new AtomicLong();
        StringBuffer firstFailure = new StringBuffer();
        long start = System.nanoTime();
        for (int i = 0; i < tokens.size(); i++) {
            inFlight.acquire();
            AtomicBoolean done = new AtomicBoolean();
            Runnable onConnected = () -> {
                if (done.compareAndSet(false, true)) {
                    connected.incrementAndGet();
                    lastConnected.accumulateAndGet(System.nanoTime(), Math::max);
                    inFlight.release();
                    settled.countDown();
                }
            };
            Runnable onGone = () -> {
                if (done.compareAndSet(false, true)) {
                    failed.incrementAndGet();
                    inFlight.release();
                    settled.countDown();
                }
            };
            String source = sourceAddresses.get(i % sourceAddresses.size());
            ChannelFuture attempt = bootstrap(webSocketUrl, tokens.get(i), onConnected, onGone, topic)
                    .localAddress(new InetSocketAddress(source, 0))
                    .connect(webSocketUrl.getHost(), webSocketUrl.getPort());
            attempt.addListener(future -> {
                if (!future.isSuccess()) {
                    if (firstFailure.isEmpty()) {
                        firstFailure.append(future.cause());
                    }
                    onGone.run();
                }
            });
            channels.add(attempt.channel());
        }
        settled.await(10, TimeUnit.MINUTES);
        return new Outcome(connected.get(), failed.get(), start, lastConnected.get(), firstFailure.toString());
    }

    private Bootstrap bootstrap(URI webSocketUrl, String token, Runnable onConnected, Runnable onGone, String topic) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(webSocketUrl)
                .version(WebSocketVersion.V13)
                .customHeaders(new DefaultHttpHeaders().add("Authorization", "Bearer " + token))
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(60_000)
                // Netty's own handling would close the channel without passing the frame on, and every
                // close would count as 1006: DeliveryHandler takes Herald's close code and answers.
                .handleCloseFrames(false)
                // Checking that Herald's text is valid UTF-8 is its tests' job, not a load generator's: a
                // validator per frame is CPU taken from the server on a shared host.
                .withUTF8Validator(false)
                .build();
        return new Bootstrap()
                .group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(config),
                                new WebSocketFrameAggregator(MAX_FRAME),
                                new DeliveryHandler(stats, onConnected, onGone, topic));
                    }
                });
    }

    /** Every {@code every}-th connection stops reading; returns the positions (in the tokens connected) of those that did. */
    List<Integer> stall(int every) {
        List<Integer> stalled = new ArrayList<>();
        for (int i = 0; i < channels.size(); i += every) {
            Channel channel = channels.get(i);
            DeliveryHandler handler = channel.pipeline().get(DeliveryHandler.class);
            if (handler != null && channel.isActive()) {
                channel.eventLoop().execute(() -> handler.stall(channel.pipeline().context(handler)));
                stalled.add(i);
            }
        }
        return stalled;
    }

    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
