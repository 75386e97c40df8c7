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
import java.net.URI;
import java.util.List;

/**
 * Refuses browser connections from origins that are neither this server nor configured
 * ({@code herald.delivery.allowed-origins}), before authentication, so a page elsewhere cannot ride on a
 * user's ticket or cookie. Non-browser clients send no Origin and are not affected.
 */
@ServerFilter({"/ws", "/api/ws/**", "/api/sse"})
final class OriginFilter implements Ordered {

    private final List<String> allowed;

    OriginFilter(DeliveryConfig config) {
        this.allowed = config.allowedOrigins().stream().map(OriginFilter::normalized).toList();
    }

    @RequestFilter
    @Nullable
    HttpResponse<Problem> checkOrigin(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        if (origin == null || allowed.contains(normalized(origin)) || sameOrigin(origin, request)) {
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

    private static boolean sameOrigin(String origin, HttpRequest<?> request) {
        String host = request.getHeaders().get("Host");
        try {
            return host != null && host.equalsIgnoreCase(URI.create(origin).getAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalized(String origin) {
        String trimmed = origin.strip().toLowerCase(java.util.Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
