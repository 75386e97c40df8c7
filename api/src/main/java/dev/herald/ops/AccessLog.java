package dev.herald.ops;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request: method, path, status and time. The query string is never logged: browsers
 * pass tokens and tickets in it to the stream endpoints. Nor is a pairing's id: whoever holds it may
 * listen for the tokens of the device being paired, so it is masked.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "herald.ops.access-log", value = "true")
final class AccessLog implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger("herald.access");
    private static final String STARTED = "herald.access.started";
    private static final Pattern PAIRING_ID = Pattern.compile("^/api/pairings/[^/]+(?=/|$)");

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
        LOG.info("{} {} {} {} {}ms", request.getRemoteAddress().getAddress().getHostAddress(), request.getMethodName(),
                loggedPath(request.getPath()), response.code(), (System.nanoTime() - started) / 1_000_000);
    }

    static String loggedPath(String path) {
        return path.equals("/api/pairings/scan") ? path : PAIRING_ID.matcher(path).replaceFirst("/api/pairings/…");
    }
}
