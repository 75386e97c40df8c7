package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.StreamCredentials;
import dev.herald.ops.Problem;
import dev.herald.ops.RequestLog;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws}: the native protocol's handshake, done by Herald on the Netty channel rather than by
 * Micronaut's WebSocket layer. An idle socket then holds only the channel, the frame codec and Herald's
 * {@link Connection}: no retained upgrade request, session, route match or idle-state timers, which took
 * more than half of an idle connection's heap.
 *
 * <p>The rules are those of the other stream endpoints: a foreign browser Origin is refused (403) before
 * authentication; the credential is the {@code Authorization: Bearer} header, else {@code ?token=}, else a
 * one-time {@code ?ticket=} (see {@link StreamCredentials}); a request without a valid one is refused (401)
 * and never gets a socket. {@code ?since=} resumes; an invalid one closes the socket with 1008.
 * Extensions (permessage-deflate) are not negotiated: a compressor per idle connection costs far more memory
 * than the few hundred bytes a notification frame saves.
 */
@Singleton
final class NativeHandshake {

    static final String PATH = "/ws";

    private static final Logger LOG = LoggerFactory.getLogger(NativeHandshake.class);
    /** What stays of Micronaut's HTTP pipeline once a connection is taken over: TLS and the HTTP codec. */
    private static final Set<String> KEPT = Set.of(ChannelPipelineCustomizer.HANDLER_SSL,
            ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC);

    private final StreamCredentials credentials;
    private final AllowedOrigins origins;
    private final Connections connections;
    private final NativeProtocol protocol;
    private final DeliveryConfig config;
    private final RequestLog requestLog;
    private final JsonMapper json;
    private final ExecutorService blocking;

    NativeHandshake(StreamCredentials credentials, AllowedOrigins origins, Connections connections,
                    NativeProtocol protocol, DeliveryConfig config, RequestLog requestLog, JsonMapper json,
                    @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.credentials = credentials;
        this.origins = origins;
        this.connections = connections;
        this.protocol = protocol;
        this.config = config;
        this.requestLog = requestLog;
        this.json = json;
        this.blocking = blocking;
    }

    static boolean isNativePath(String uri) {
        return uri.startsWith(PATH) && (uri.length() == PATH.length() || uri.charAt(PATH.length()) == '?');
    }

    /**
     * Takes the channel over from Micronaut: called on its event loop with a request for {@link #PATH}.
     * Whatever the outcome, the channel serves no further HTTP requests.
     */
    void accept(ChannelHandlerContext ctx, HttpRequest request) {
        long started = System.nanoTime();
        ctx.channel().config().setAutoRead(false);
        detachHttpHandlers(ctx);
        HttpHeaders headers = request.headers();
        if (!HttpMethod.GET.equals(request.method())) {
            refuse(ctx, request, started, HttpResponseStatus.METHOD_NOT_ALLOWED, "Open a WebSocket with GET",
                    h -> h.set(HttpHeaderNames.ALLOW, "GET"));
        } else if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            refuse(ctx, request, started, HttpResponseStatus.UPGRADE_REQUIRED, "This endpoint is a WebSocket",
                    h -> h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET));
        } else if (!origins.allows(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST))) {
            refuse(ctx, request, started, HttpResponseStatus.FORBIDDEN,
                    "Origin not allowed: " + headers.get(HttpHeaderNames.ORIGIN), h -> { });
        } else {
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
            blocking.execute(() -> {
                Optional<Credential> credential;
                try {
                    credential = credentials.authenticate(authorization,
                            first(query, "token").orElseGet(() -> first(query, "access_token").orElse(null)),
                            first(query, "ticket").orElse(null));
                } catch (RuntimeException e) {
                    LOG.warn("Could not check a WebSocket credential", e);
                    ctx.channel().eventLoop().execute(() -> refuse(ctx, request, started,
                            HttpResponseStatus.SERVICE_UNAVAILABLE, "Could not check the credential; retry", h -> { }));
                    return;
                }
                ctx.channel().eventLoop().execute(() -> upgrade(ctx, request, query, credential, started));
            });
        }
    }

    private void upgrade(ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder query,
                         Optional<Credential> credential, long started) {
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            return;
        }
        if (credential.isEmpty()) {
            refuse(ctx, request, started, HttpResponseStatus.UNAUTHORIZED, "A valid access token or ticket is required",
                    h -> h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
            return;
        }
        FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxFrameBytes()).allowExtensions(false).build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(PATH, null, decoder)
                .newHandshaker(full);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                    .addListener(ChannelFutureListener.CLOSE);
            log(ctx, request, HttpResponseStatus.UPGRADE_REQUIRED, started);
            return;
        }
        try {
            handshaker.handshake(channel, full).addListener(done -> {
                if (done.isSuccess()) {
                    log(ctx, request, HttpResponseStatus.SWITCHING_PROTOCOLS, started);
                    open(ctx, credential.get(), query);
                } else {
                    channel.close();
                }
            });
        } catch (WebSocketHandshakeException e) {
            refuse(ctx, request, started, HttpResponseStatus.BAD_REQUEST, e.getMessage(), h -> { });
        }
    }

    private void open(ChannelHandlerContext ctx, Credential credential, QueryStringDecoder query) {
        Channel channel = ctx.channel();
        ChannelTransport transport = new ChannelTransport(channel);
        NativeFrames frames = new NativeFrames(protocol, transport);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(config.maxFrameBytes()));
        pipeline.replace(ctx.name(), "herald-ws", frames);
        Optional<String> sinceParameter = first(query, "since");
        Long since = sinceParameter.map(Connections::parseSince).orElse(null);
        if (sinceParameter.isPresent() && since == null) {
            transport.close(CloseCodes.POLICY, "since must be a seq of 0 or more");
        } else {
            frames.attach(connections.open(transport, credential, since));
        }
        channel.config().setAutoRead(true);
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, long started, HttpResponseStatus status,
                        String detail, Consumer<HttpHeaders> extraHeaders) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Problem("about:blank", status.reasonPhrase(), status.code(), detail,
                    PATH, List.of()));
        } catch (IOException e) {
            body = new byte[0];
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        extraHeaders.accept(response.headers());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        log(ctx, request, status, started);
    }

    private void log(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, long started) {
        requestLog.record((InetSocketAddress) ctx.channel().remoteAddress(), request.method().name(), PATH,
                status.code(), started);
    }

    /**
     * Micronaut's handlers (routing, aggregation, compression, its idle timer) would otherwise see the
     * handshake's response and the frames after it; Herald's keep-alive sweep replaces the idle timer.
     */
    private static void detachHttpHandlers(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        for (String name : pipeline.names()) {
            if (!KEPT.contains(name) && !name.equals(ctx.name()) && pipeline.context(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    private static Optional<String> first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
