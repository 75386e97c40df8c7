package dev.herald.ops;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text PostgreSQL cannot store, which no field's own rules catch: the NUL character (U+0000), in a text
 * column (SQLSTATE 22021) or in a JSON string bound for jsonb (22P05). The statement failed, so nothing
 * was stored: the client gets 400, not an opaque 500. Every other database failure stays what it was.
 */
@Singleton
final class UnstorableTextHandler implements ExceptionHandler<DataAccessException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(UnstorableTextHandler.class);
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    private final ErrorResponseProcessor<?> errors;

    UnstorableTextHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, DataAccessException exception) {
        if (isUnstorableText(exception)) {
            return HttpResponse.<Problem>badRequest(Problem.invalid(request.getPath(), List.of(
                            new Problem.FieldError(null, "text must not contain the NUL character (\\u0000)"))))
                    .contentType(Problem.CONTENT_TYPE);
        }
        LOG.error("Unexpected error occurred: {}", exception.getMessage(), exception);
        return errors.processResponse(ErrorContext.builder(request).cause(exception).build(), HttpResponse.serverError());
    }

    static boolean isUnstorableText(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNSTORABLE_TEXT.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
