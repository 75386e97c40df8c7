package dev.herald.ops;

import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No database connection came free in time (the pool is busy beyond capacity, or the database is away):
 * 503 with Retry-After, which tells a client to come back, rather than a 500, which says Herald is broken.
 * The request's own statement never got a connection; a broadcast keeps the chunks it stored before.
 */
@Singleton
final class DatabaseBusyHandler implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBusyHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, CannotGetJdbcConnectionException exception) {
        LOG.warn("No database connection for {} {}: {}", request.getMethod(), request.getPath(), exception.getMessage());
        Problem problem = new Problem("about:blank", "Service Unavailable", 503,
                "The database is busy: try again shortly (with the same Idempotency-Key, if it had one)",
                request.getPath(), null);
        return HttpResponse.<Problem>status(HttpStatus.SERVICE_UNAVAILABLE).body(problem)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(Problem.CONTENT_TYPE);
    }
}
