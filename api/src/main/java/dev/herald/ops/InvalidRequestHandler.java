package dev.herald.ops;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/** Answers {@link InvalidRequestException} with 400 and a problem body that names the field. */
@Singleton
final class InvalidRequestHandler implements ExceptionHandler<InvalidRequestException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, InvalidRequestException exception) {
        Problem problem = Problem.invalid(request.getPath(),
                List.of(new Problem.FieldError(exception.field(), exception.getMessage())));
        return HttpResponse.<Problem>badRequest(problem).contentType(Problem.CONTENT_TYPE);
    }
}
