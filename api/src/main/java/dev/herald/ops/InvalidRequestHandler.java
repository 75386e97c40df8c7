package dev.herald.ops;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers {@link InvalidRequestException} with 400 and a problem body that names each bad field. */
@Singleton
final class InvalidRequestHandler implements ExceptionHandler<InvalidRequestException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, InvalidRequestException exception) {
        return HttpResponse.<Problem>badRequest(Problem.invalid(request.getPath(), exception.errors()))
                .contentType(Problem.CONTENT_TYPE);
    }
}
