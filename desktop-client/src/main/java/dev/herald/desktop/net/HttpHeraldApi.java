package dev.herald.desktop.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/** {@link HeraldApi} over java.net.http. */
public final class HttpHeraldApi implements HeraldApi {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final URI server;
    private final HttpClient http;

    public HttpHeraldApi(URI server, HttpClient http) {
        this.server = server;
        this.http = http;
    }

    @Override
    public URI server() {
        return server;
    }

    @Override
    public CompletableFuture<Tokens> login(String username, String password) {
        return post("/api/auth/login", null, Map.of("username", username, "password", password))
                .thenApply(body -> WireJson.read(body, Tokens.class));
    }

    @Override
    public CompletableFuture<Tokens> refresh(String refreshToken) {
        return post("/api/auth/refresh", null, Map.of("refresh_token", refreshToken))
                .thenApply(body -> WireJson.read(body, Tokens.class));
    }

    @Override
    public CompletableFuture<Void> logout(String refreshToken) {
        return post("/api/auth/logout", null, Map.of("refresh_token", refreshToken)).thenApply(body -> null);
    }

    @Override
    public CompletableFuture<HistoryPage> history(String accessToken, Long before, int limit) {
        String query = "?limit=" + limit + (before == null ? "" : "&before=" + before);
        return send(request("/api/notifications" + query, accessToken).GET().build())
                .thenApply(body -> WireJson.read(body, HistoryPage.class));
    }

    @Override
    public CompletableFuture<UnreadCount> unreadCount(String accessToken) {
        return send(request("/api/notifications/unread-count", accessToken).GET().build())
                .thenApply(body -> WireJson.read(body, JsonNode.class))
                .thenApply(json -> new UnreadCount(json.path("count").asLong(), json.path("cursor").asLong()));
    }

    @Override
    public CompletableFuture<Void> markRead(String accessToken, Collection<UUID> ids) {
        return post("/api/notifications/read", accessToken, Map.of("ids", ids)).thenApply(body -> null);
    }

    @Override
    public CompletableFuture<Void> markAllRead(String accessToken) {
        return post("/api/notifications/read-all", accessToken, Map.of()).thenApply(body -> null);
    }

    @Override
    public CompletableFuture<Pairing> createPairing(String deviceLabel) {
        return post("/api/pairings", null, Map.of("label", deviceLabel)).thenApply(body -> WireJson.read(body, Pairing.class));
    }

    @Override
    public CompletableFuture<byte[]> pairingQrCode(UUID pairingId) {
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/pairings/" + pairingId + "/qr.png"))
                .timeout(REQUEST_TIMEOUT).header("Accept", "image/png").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(unreachable(failure));
                    }
                    if (response.statusCode() != 200) {
                        throw new HeraldApiException(response.statusCode(), "QR code not available (HTTP " + response.statusCode() + ")");
                    }
                    return response.body();
                });
    }

    @Override
    public CompletableFuture<PairedSession> awaitPairing(UUID pairingId) {
        // The stream stays open until the phone scans; no request timeout, the server ends it on expiry.
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/pairings/" + pairingId + "/events"))
                .header("Accept", "text/event-stream").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenApplyAsync(response -> {
                    if (response.statusCode() != 200) {
                        throw new HeraldApiException(response.statusCode(), "This QR code has expired or was used");
                    }
                    try (Stream<String> lines = response.body()) {
                        return sessionFrom(lines.iterator());
                    }
                });
    }

    private static PairedSession sessionFrom(Iterator<String> lines) {
        String event = "message";
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:") && "session-started".equals(event)) {
                JsonNode data = WireJson.read(line.substring(5).strip(), JsonNode.class);
                Tokens tokens = WireJson.MAPPER.convertValue(data, Tokens.class);
                return new PairedSession(tokens, data.path("username").asText(), data.path("userId").asLong());
            } else if (line.startsWith("data:") && "expired".equals(event)) {
                throw new HeraldApiException(410, "The QR code expired before it was scanned");
            } else if (line.isEmpty()) {
                event = "message";
            }
        }
        throw new HeraldApiException(0, "The pairing stream ended without a session");
    }

    private CompletableFuture<String> post(String path, String accessToken, Object body) {
        return send(request(path, accessToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(WireJson.write(body))).build());
    }

    private HttpRequest.Builder request(String path, String accessToken) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (accessToken != null) {
            builder.header("Authorization", "Bearer " + accessToken);
        }
        return builder;
    }

    private CompletableFuture<String> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(unreachable(failure));
                    }
                    if (response.statusCode() >= 300) {
                        throw new HeraldApiException(response.statusCode(), problemDetail(response.body(), response.statusCode()));
                    }
                    return response.body();
                });
    }

    private HeraldApiException unreachable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return new HeraldApiException("Cannot reach " + server + ": " + cause, cause);
    }

    /** The problem body's detail (RFC 9457) when there is one, so the user reads the server's own words. */
    private static String problemDetail(String body, int status) {
        try {
            JsonNode problem = WireJson.read(body, JsonNode.class);
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            return detail.isBlank() ? "HTTP " + status : detail;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return "HTTP " + status;
        }
    }

}
