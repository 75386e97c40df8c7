package dev.herald;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A WebSocket client over a real socket (the JDK's), collecting the JSON messages it receives. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    /** The key under which a frame that is not JSON is recorded: {@code {"text": frame}}. */
    public static final String TEXT = "text";

    /** How the server closed the connection. */
    public record Closed(int code, String reason) {
    }

    private final JsonMapper json;
    private final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger pingFrames = new AtomicInteger();
    private final AtomicInteger pongFrames = new AtomicInteger();
    private final boolean reading;
    private volatile boolean answerPings = true;
    private WebSocket socket;

    private WsClient(JsonMapper json, boolean reading) {
        this.json = json;
        this.reading = reading;
    }

    /** Connects, or throws {@link HandshakeRefused} with the HTTP status the server answered. */
    public static WsClient connect(Api api, String pathAndQuery, Map<String, String> headers) {
        return connect(api, pathAndQuery, headers, true);
    }

    /** With {@code reading} false the client takes nothing off the socket: a consumer that stalled. */
    public static WsClient connect(Api api, String pathAndQuery, Map<String, String> headers, boolean reading) {
        WsClient client = new WsClient(api.json(), reading);
        URI uri = URI.create(api.base().toString().replaceFirst("^http", "ws")).resolve(pathAndQuery);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        try {
            client.socket = builder.buildAsync(uri, client).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefused(refused.getResponse().statusCode());
            }
            throw e;
        }
        return client;
    }

    public static WsClient withToken(Api api, String token) {
        return connect(api, "/ws", Map.of("Authorization", "Bearer " + token));
    }

    public static final class HandshakeRefused extends RuntimeException {
        private final int status;

        HandshakeRefused(int status) {
            super("Handshake refused with HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            Map<String, Object> message;
            try {
                message = json.readValue(partial.toString(), Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                message = Map.of(TEXT, partial.toString()); // not JSON: a dialect's plain-text frame
            }
            partial.setLength(0);
            received.add(message);
            if (answerPings && "ping".equals(message.get("type"))) {
                webSocket.sendText("{\"type\":\"pong\"}", true);
            }
        }
        webSocket.request(1);
        return null;
    }

    /** The JDK answers ping frames with pong frames by itself; this counts them. */
    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pingFrames.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongFrames.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    /** Pong frames received: the server's answers to {@link #socket()}{@code .sendPing}. */
    public int pongFrames() {
        return pongFrames.get();
    }

    /** The JDK socket, for frames the JSON helpers do not send (pings, binary, fragments, close). */
    public WebSocket socket() {
        return socket;
    }

    public int pingFrames() {
        return pingFrames.get();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error.getMessage())));
    }

    /** Like a real client this one answers the server's pings; a silent one does not. */
    public WsClient answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    /** Starts taking messages off the socket (for a client created with {@code reading} false). */
    public void startReading() {
        socket.request(1);
    }

    public void send(Object message) {
        sendText(message instanceof String s ? s : toJson(message));
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message that is not a server ping; fails after the timeout. */
    public Map<String, Object> next() {
        return next(m -> !"ping".equals(m.get("type")), Duration.ofSeconds(10));
    }

    public Map<String, Object> next(String type) {
        return next(m -> type.equals(m.get("type")), Duration.ofSeconds(10));
    }

    public Map<String, Object> next(Predicate<Map<String, Object>> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Map<String, Object> message = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("No matching message within " + timeout);
                }
                if (wanted.test(message)) {
                    return message;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every message received until {@code quiet} passes without one (pings left out). */
    public List<Map<String, Object>> drain(Duration quiet) {
        List<Map<String, Object>> messages = new ArrayList<>();
        try {
            Map<String, Object> message;
            while ((message = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                if (!"ping".equals(message.get("type"))) {
                    messages.add(message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return messages;
    }

    public Closed awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Waits up to the timeout for the close; returns whether it came. */
    public boolean awaitCloseQuietly(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> payload(Map<String, Object> message) {
        return (Map<String, Object>) message.get("payload");
    }

    public static long seq(Map<String, Object> message) {
        return ((Number) payload(message).get("seq")).longValue();
    }

    private String toJson(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(error -> null).join();
        }
        socket.abort();
    }
}
