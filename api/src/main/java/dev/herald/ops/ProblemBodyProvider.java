package dev.herald.ops;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Renders every error response Micronaut produces (validation, routing, security, our own exceptions) as
 * RFC 9457 problem details, so clients parse one error shape everywhere. A 500 says nothing of its cause.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
final class ProblemBodyProvider implements JsonErrorResponseBodyProvider<Problem> {

    @Override
    public Problem body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        if (status == 500) {
            // An error Herald did not expect: its message may quote SQL, rows or stored values. Micronaut
            // logs it whole; the client learns only that it happened.
            return new Problem("about:blank", response.reason(), status, "Unexpected error: it was logged",
                    context.getRequest().getPath(), null);
        }
        List<Problem.FieldError> errors = context.getErrors().stream()
                .filter(error -> error.getPath().isPresent())
                .map(error -> new Problem.FieldError(fieldName(error.getPath().get()), error.getMessage()))
                .toList();
        String detail = context.getErrors().isEmpty()
                ? null
                : errors.isEmpty() ? context.getErrors().getFirst().getMessage() : Problem.summary(errors);
        return new Problem("about:blank", response.reason(), status, detail, context.getRequest().getPath(), errors);
    }

    @Override
    public String contentType() {
        return Problem.CONTENT_TYPE;
    }

    /** Micronaut names a bad path variable {@code /id}; the client knows it as {@code id}. */
    static String fieldName(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
