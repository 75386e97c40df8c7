package dev.herald.delivery;

import dev.herald.ops.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.List;

/**
 * Refuses browser connections from origins that are not {@link AllowedOrigins} before authentication, on
 * the stream endpoints Micronaut routes (the WebSocket endpoints check their own, see {@link WebSocketHandshake}).
 */
@ServerFilter({"/api/ws/**", "/api/sse"})
final class OriginFilter implements Ordered {

    private final AllowedOrigins origins;

    OriginFilter(AllowedOrigins origins) {
        this.origins = origins;
    }

    @RequestFilter
    @Nullable
    HttpResponse<Problem> checkOrigin(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        if (origins.allows(origin, request.getHeaders().get("Host"))) {
            return null;
        }
        Problem problem = new Problem("about:blank", "Forbidden", 403, "Origin not allowed: " + origin,
                request.getPath(), List.of());
        return HttpResponse.<Problem>status(HttpStatus.FORBIDDEN).body(problem).contentType(Problem.CONTENT_TYPE);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
