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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket handshake of Herald's two socket endpoints, done by Herald on the Netty channel rather than
 * by Micronaut's WebSocket layer: {@code GET /ws} (the native protocol) and {@code GET /api/ws/notification}
 * (the ExpireEye dialect). An idle socket then holds only the channel, the frame codec and Herald's
 * {@link Connection}: no retained upgrade request, session, route match or idle-state timers, which took
 * more than half of an idle connection's heap.
 *
 * <p>The rules are those of the other stream endpoints: a foreign browser Origin is refused (403) before
 * authentication; the credential is the {@code Authorization: Bearer} header, else a one-time
 * {@code ?ticket=}, else {@code ?token=} or {@code ?access_token=} (see {@link StreamCredentials}). On {@code /ws} a
 * request without a valid one is refused (401) and never gets a socket; the ExpireEye endpoint opens the
 * socket and closes it with 1008 (see {@link WebSocketEndpoint#closesAnonymous()}). {@code ?since=} resumes;
 * an invalid one closes the socket with 1008. Extensions (permessage-deflate) are not negotiated: a
 * compressor per idle connection costs far more memory than the few hundred bytes a notification saves.
 */
@Singleton
final class WebSocketHandshake {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandshake.class);
    /** What stays of Micronaut's HTTP pipeline once a connection is taken over: TLS and the HTTP codec. */
    private static final Set<String> KEPT = Set.of(ChannelPipelineCustomizer.HANDLER_SSL,
            ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC);

    private final List<WebSocketEndpoint> endpoints;
    private final StreamCredentials credentials;
    private final AllowedOrigins origins;
    private final Connections connections;
    private final DeliveryConfig config;
    private final RequestLog requestLog;
    private final JsonMapper json;
    private final ExecutorService blocking;
    // One for every socket: each decoder keeps a reference to it.
    private final WebSocketDecoderConfig decoderConfig;

    WebSocketHandshake(NativeProtocol nativeProtocol, ExpireEyeProtocol expireEyeProtocol, ServerMessages messages,
                       StreamCredentials credentials, AllowedOrigins origins, Connections connections,
                       DeliveryConfig config, RequestLog requestLog, JsonMapper json,
                       @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.endpoints = List.of(
                new WebSocketEndpoint("/ws", false, WebSocketTransport::new, nativeProtocol::onText),
                new WebSocketEndpoint("/api/ws/notification", true,
                        socket -> new ExpireEyeTransport(socket, messages), expireEyeProtocol::onText));
        this.credentials = credentials;
        this.origins = origins;
        this.connections = connections;
        this.config = config;
        this.requestLog = requestLog;
        this.json = json;
        this.blocking = blocking;
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxFrameBytes()).allowExtensions(false).build();
    }

    /** The endpoint a request URI is for, or null when it is for Micronaut to route. */
    WebSocketEndpoint endpointFor(String uri) {
        for (WebSocketEndpoint endpoint : endpoints) {
            if (endpoint.matches(uri)) {
                return endpoint;
            }
        }
        return null;
    }

    /**
     * Takes the channel over from Micronaut: called on its event loop with a request for the endpoint.
     * Whatever the outcome, the channel serves no further HTTP requests.
     */
    void accept(ChannelHandlerContext ctx, HttpRequest request, WebSocketEndpoint endpoint) {
        ctx.channel().config().setAutoRead(false);
        detachHttpHandlers(ctx);
        new Attempt(ctx, request, endpoint).start();
    }

    /** One upgrade request, from its arrival to a socket or a refusal. */
    private final class Attempt {

        private final long started = System.nanoTime();
        private final ChannelHandlerContext ctx;
        private final HttpRequest request;
        private final WebSocketEndpoint endpoint;
        private final QueryStringDecoder query;

        Attempt(ChannelHandlerContext ctx, HttpRequest request, WebSocketEndpoint endpoint) {
            this.ctx = ctx;
            this.request = request;
            this.endpoint = endpoint;
            this.query = new QueryStringDecoder(request.uri());
        }

        void start() {
            HttpHeaders headers = request.headers();
            if (!HttpMethod.GET.equals(request.method())) {
                refuse(HttpResponseStatus.METHOD_NOT_ALLOWED, "Open a WebSocket with GET",
                        h -> h.set(HttpHeaderNames.ALLOW, "GET"));
            } else if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                refuse(HttpResponseStatus.UPGRADE_REQUIRED, "This endpoint is a WebSocket",
                        h -> h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET));
            } else if (!origins.allows(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST))) {
                refuse(HttpResponseStatus.FORBIDDEN, "Origin not allowed: " + headers.get(HttpHeaderNames.ORIGIN), h -> { });
            } else {
                blocking.execute(this::authenticate);
            }
        }

        /** Off the event loop: redeeming a ticket is a database write. */
        private void authenticate() {
            Optional<Credential> credential;
            try {
                credential = credentials.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                        first("token").orElseGet(() -> first("access_token").orElse(null)), first("ticket").orElse(null));
            } catch (RuntimeException e) {
                LOG.warn("Could not check a WebSocket credential", e);
                // As DatabaseBusyHandler answers HTTP requests: come back, rather than Herald is broken.
                ctx.channel().eventLoop().execute(() -> refuse(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "Could not check the credential; retry", h -> h.set(HttpHeaderNames.RETRY_AFTER, "1")));
                return;
            }
            ctx.channel().eventLoop().execute(() -> upgrade(credential));
        }

        private void upgrade(Optional<Credential> credential) {
            Channel channel = ctx.channel();
            if (!channel.isActive()) {
                return;
            }
            if (credential.isEmpty() && !endpoint.closesAnonymous()) {
                refuse(HttpResponseStatus.UNAUTHORIZED, "A valid access token or ticket is required",
                        h -> h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
                return;
            }
            FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                    Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(endpoint.path(), null, decoderConfig)
                    .newHandshaker(full);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                        .addListener(ChannelFutureListener.CLOSE);
                log(HttpResponseStatus.UPGRADE_REQUIRED);
                return;
            }
            try {
                handshaker.handshake(channel, full).addListener(done -> {
                    if (done.isSuccess()) {
                        log(HttpResponseStatus.SWITCHING_PROTOCOLS);
                        open(credential);
                    } else {
                        channel.close();
                    }
                });
            } catch (WebSocketHandshakeException e) {
                refuse(HttpResponseStatus.BAD_REQUEST, e.getMessage(), h -> { });
            }
        }

        private void open(Optional<Credential> credential) {
            WebSocketChannel socket = new WebSocketChannel(ctx.channel());
            WebSocketFrames frames = new WebSocketFrames(endpoint.protocol(), socket);
            ChannelPipeline pipeline = ctx.pipeline();
            pipeline.addBefore(ctx.name(), "websocket-aggregator", new WebSocketFrameAggregator(config.maxFrameBytes()));
            pipeline.replace(ctx.name(), "herald-websocket", frames);
            Optional<String> sinceParameter = first("since");
            Long since = sinceParameter.map(Connections::parseSince).orElse(null);
            if (credential.isEmpty()) {
                socket.close(CloseCodes.POLICY,
                        presentedCredential() ? "Invalid or expired access token" : "Access token required");
            } else if (sinceParameter.isPresent() && since == null) {
                socket.close(CloseCodes.POLICY, "since must be a seq of 0 or more");
            } else {
                frames.attach(connections.open(endpoint.transports().apply(socket), credential.get(), since));
            }
            ctx.channel().config().setAutoRead(true); // the socket's handlers are in place
        }

        private void refuse(HttpResponseStatus status, String detail, Consumer<HttpHeaders> extraHeaders) {
            byte[] body;
            try {
                body = json.writeValueAsBytes(new Problem("about:blank", status.reasonPhrase(), status.code(), detail,
                        endpoint.path(), List.of()));
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
            log(status);
        }

        private void log(HttpResponseStatus status) {
            requestLog.record((InetSocketAddress) ctx.channel().remoteAddress(), request.method().name(),
                    endpoint.path(), status.code(), started);
        }

        private boolean presentedCredential() {
            return request.headers().contains(HttpHeaderNames.AUTHORIZATION)
                    || Stream.of("access_token", "token", "ticket").anyMatch(query.parameters()::containsKey);
        }

        private Optional<String> first(String name) {
            List<String> values = query.parameters().get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }
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
}
