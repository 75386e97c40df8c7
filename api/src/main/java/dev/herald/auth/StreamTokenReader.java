package dev.herald.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an access token from the query string ({@code ?token=}, or {@code ?access_token=}), on the event
 * stream only: browsers cannot set headers on an EventSource. Everywhere else a token in a URL is ignored,
 * since URLs end up in logs and histories. The header wins when both are present, and a one-time
 * {@code ?ticket=} wins over a token in the query (the order of {@link StreamCredentials}, which applies the
 * same rules to the WebSocket endpoints, which never reach Micronaut Security).
 */
@Singleton
final class StreamTokenReader implements TokenReader<HttpRequest<?>> {

    static final Set<String> STREAM_PATHS = Set.of("/api/sse");

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        if (!STREAM_PATHS.contains(request.getPath())
                || StreamCredentials.present(request.getParameters().get("ticket"))) {
            return Optional.empty();
        }
        return request.getParameters().getFirst("token")
                .or(() -> request.getParameters().getFirst("access_token"))
                .filter(token -> !token.isBlank());
    }

    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE; // after the Authorization header reader
    }
}
