package dev.herald.desktop.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link HeraldConnection} over the native WebSocket protocol ({@code GET /ws}, Authorization header,
 * {@code ?since=} to resume). Every socket gets a generation number; callbacks of a socket that has since
 * been replaced are ignored, so a late close of an old socket never tears down the new one.
 */
public final class WebSocketConnection implements HeraldConnection {

    private static final Logger LOG = Logger.getLogger(WebSocketConnection.class.getName());
    private static final int UNAUTHORIZED = 4001;
    /** The server pings a quiet socket every 20 to 25 s; this long without a word means the socket died (sleep, network change). */
    private static final Duration SILENCE_LIMIT = Duration.ofSeconds(65);
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(15);

    private final URI server;
    private final HttpClient http;
    private final AccessTokens tokens;
    private final Backoff backoff;
    private final Scheduler scheduler;
    private final Clock clock;
    private final List<ConnectionEvents> listeners = new CopyOnWriteArrayList<>();

    private volatile ConnectionState state = new ConnectionState.Offline();
    private boolean running;
    private int generation;
    private int failures;
    /** A token was renewed after a refusal and no connection got in since: a second refusal backs off. */
    private boolean renewedSinceConnected;
    private long lastSeq = -1;
    private WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private Scheduler.Cancellable pendingReconnect;
    private Scheduler.Cancellable watchdog;
    private Instant lastHeard;

    public WebSocketConnection(URI server, HttpClient http, AccessTokens tokens, Backoff backoff, Scheduler scheduler,
                               Clock clock) {
        this.server = server;
        this.http = http;
        this.tokens = tokens;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void addListener(ConnectionEvents listener) {
        listeners.add(listener);
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        connect();
    }

    @Override
    public void stop(boolean signedOut) {
        WebSocket closing;
        synchronized (this) {
            running = false;
            generation++;
            cancelTimers();
            closing = socket;
            socket = null;
        }
        if (closing != null) {
            closing.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            closing.abort();
        }
        changeState(signedOut ? new ConnectionState.SignedOut() : new ConnectionState.Offline());
    }

    @Override
    public synchronized void renewCredential(String accessToken) {
        if (socket != null) {
            send(socket, WireJson.write(Map.of("type", "auth", "token", accessToken)));
        }
    }

    private synchronized void connect() {
        if (!running) {
            return;
        }
        int current = ++generation;
        changeState(new ConnectionState.Connecting());
        long since;
        since = lastSeq;
        URI uri = webSocketUri(since);
        http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + tokens.current())
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener(current))
                .whenComplete((opened, failure) -> {
                    if (failure != null) {
                        handshakeFailed(current, failure);
                    } else {
                        opened(current, opened);
                    }
                });
    }

    private URI webSocketUri(long since) {
        String scheme = "https".equals(server.getScheme()) ? "wss" : "ws";
        String path = "/ws" + (since >= 0 ? "?since=" + since : "");
        return URI.create(scheme + "://" + server.getRawAuthority() + path);
    }

    private synchronized void opened(int current, WebSocket opened) {
        if (current != generation) {
            opened.abort();
            return;
        }
        socket = opened;
        sending = CompletableFuture.completedFuture(null);
        lastHeard = clock.instant();
        watch(current);
    }

    private void handshakeFailed(int current, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException handshake && handshake.getResponse().statusCode() == 401) {
            renewThenReconnect(current);
        } else {
            LOG.log(Level.FINE, "Connecting failed: {0}", cause.toString());
            lost(current);
        }
    }

    /** The socket is gone (or never came): try again after the backoff delay. */
    private synchronized void lost(int current) {
        if (current != generation || !running) {
            return;
        }
        socket = null;
        cancelTimers();
        Duration delay = backoff.delay(failures);
        failures++;
        changeState(new ConnectionState.Reconnecting(failures, delay, clock.instant().plus(delay)));
        pendingReconnect = scheduler.schedule(delay, this::connect);
    }

    /** 4001: the access token expired or was refused; a refreshed one gets us in again, a revoked sign-in does not. */
    private void renewThenReconnect(int current) {
        tokens.renew().whenComplete((fresh, failure) -> {
            if (failure == null) {
                synchronized (this) {
                    if (current == generation && running) {
                        if (renewedSinceConnected) {
                            // A fresh token was refused too (a proxy that drops the header, replicas with
                            // different secrets): renewing at once again would loop without pause.
                            lost(current);
                        } else {
                            renewedSinceConnected = true;
                            connect();
                        }
                    }
                }
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof HeraldApiException api && api.unauthorized()) {
                stop(true);
            } else {
                lost(current);
            }
        });
    }

    private void watch(int current) {
        watchdog = scheduler.schedule(WATCH_INTERVAL, () -> {
            WebSocket silent = null;
            synchronized (this) {
                if (current != generation || socket == null) {
                    return;
                }
                if (Duration.between(lastHeard, clock.instant()).compareTo(SILENCE_LIMIT) > 0) {
                    silent = socket;
                } else {
                    watch(current);
                }
            }
            if (silent != null) {
                LOG.info("No word from the server for " + SILENCE_LIMIT.toSeconds() + " s; reconnecting");
                silent.abort();
                lost(current);
            }
        });
    }

    private void cancelTimers() {
        if (pendingReconnect != null) {
            pendingReconnect.cancel();
            pendingReconnect = null;
        }
        if (watchdog != null) {
            watchdog.cancel();
            watchdog = null;
        }
    }

    /** java.net.http allows one outstanding send per socket, so sends are chained. */
    private synchronized void send(WebSocket target, String text) {
        sending = sending.handle((ignored, failure) -> null)
                .thenCompose(ignored -> target.sendText(text, true));
    }

    private void received(int current, WebSocket from, String text) {
        JsonNode message;
        try {
            message = WireJson.read(text, JsonNode.class);
        } catch (RuntimeException e) {
            LOG.warning("Unreadable message from the server: " + e);
            return;
        }
        JsonNode payload = message.path("payload");
        List<Runnable> events = new ArrayList<>();
        synchronized (this) {
            if (current != generation) {
                return;
            }
            lastHeard = clock.instant();
            switch (message.path("type").asText()) {
                case "connected" -> {
                    failures = 0;
                    renewedSinceConnected = false;
                    if (lastSeq < 0) {
                        // A first connection starts at the server's cursor; what came before is history (REST).
                        lastSeq = payload.path("cursor").asLong();
                    }
                    ConnectionState connected = new ConnectionState.Connected();
                    events.add(() -> changeState(connected));
                }
                case "notification" -> {
                    Notification notification = WireJson.MAPPER.convertValue(payload, Notification.class);
                    // Exactly once: a resume may overlap what this socket or the last one already delivered.
                    if (notification.seq() > lastSeq) {
                        lastSeq = notification.seq();
                        listeners.forEach(l -> events.add(() -> l.notificationArrived(notification)));
                    }
                }
                case "notification_read" -> {
                    List<UUID> ids = new ArrayList<>();
                    payload.path("ids").forEach(id -> ids.add(UUID.fromString(id.asText())));
                    listeners.forEach(l -> events.add(() -> l.notificationsRead(List.copyOf(ids))));
                }
                case "all_read" -> {
                    long upTo = payload.path("upTo").asLong();
                    listeners.forEach(l -> events.add(() -> l.allRead(upTo)));
                }
                case "ping" -> send(from, "{\"type\":\"pong\"}");
                case "error" -> LOG.warning("Server says: " + payload.path("code").asText() + ": " + payload.path("message").asText());
                default -> {
                    // replayed, pong and future types need nothing from this client
                }
            }
        }
        events.forEach(Runnable::run);
    }

    private void closed(int current, int code) {
        if (code == UNAUTHORIZED) {
            synchronized (this) {
                if (current != generation) {
                    return;
                }
                socket = null;
                cancelTimers();
            }
            renewThenReconnect(current);
        } else {
            lost(current);
        }
    }

    private void changeState(ConnectionState next) {
        state = next;
        listeners.forEach(l -> l.stateChanged(next));
    }

    private final class Listener implements WebSocket.Listener {

        private final int current;
        private final StringBuilder partial = new StringBuilder();

        Listener(int current) {
            this.current = current;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(current, webSocket, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            LOG.fine(() -> "Socket closed: " + statusCode + " " + reason);
            closed(current, statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            LOG.fine(() -> "Socket failed: " + error);
            lost(current);
        }
    }
}
