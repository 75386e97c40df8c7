package dev.herald.ops;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers {@link RateLimitedException} with 429, Retry-After, and a problem body saying which limit. */
@Singleton
final class RateLimitedHandler implements ExceptionHandler<RateLimitedException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RateLimitedException exception) {
        Problem problem = new Problem("about:blank", "Too Many Requests", 429, exception.getMessage(),
                request.getPath(), null);
        return HttpResponse.<Problem>status(HttpStatus.TOO_MANY_REQUESTS).body(problem)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(exception.retryAfterSeconds()))
                .contentType(Problem.CONTENT_TYPE);
    }
}
