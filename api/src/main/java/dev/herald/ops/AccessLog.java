package dev.herald.ops;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** One {@link RequestLog} line per request Micronaut routes. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "herald.ops.access-log", value = "true")
final class AccessLog implements Ordered {

    private static final String STARTED = "herald.access.started";

    private final RequestLog log;

    AccessLog(RequestLog log) {
        this.log = log;
    }

    /** First in, last out: so the line also records requests that security refused. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @RequestFilter
    void started(HttpRequest<?> request) {
        request.setAttribute(STARTED, System.nanoTime());
    }

    @ResponseFilter
    void finished(HttpRequest<?> request, MutableHttpResponse<?> response) {
        long started = request.getAttribute(STARTED, Long.class).orElse(System.nanoTime());
        log.record(request.getRemoteAddress(), request.getMethodName(), request.getPath(), response.code(), started);
    }
}
