package dev.herald.ops;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reports every bean-validation failure of a request at once, each under the name the client used:
 * {@code title} or {@code tags[2]} inside a body, the parameter's own name for a query value.
 */
@Singleton
@Replaces(ConstraintExceptionHandler.class)
public final class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        List<Problem.FieldError> errors = exception.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(fieldOf(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return HttpResponse.<Problem>badRequest(Problem.invalid(request.getPath(), errors))
                .contentType(Problem.CONTENT_TYPE);
    }

    /** The name the client used for the violated value. */
    public static String fieldOf(ConstraintViolation<?> violation) {
        String parameter = null;
        List<String> within = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                String name = node.getName() == null || node.getName().startsWith("<") ? "" : node.getName();
                String index = node.getIndex() != null ? "[" + node.getIndex() + "]"
                        : node.getKey() != null ? "[" + node.getKey() + "]" : "";
                if (!name.isEmpty() || !index.isEmpty()) {
                    within.add(name + index);
                }
            }
        }
        if (within.isEmpty()) {
            return parameter != null ? parameter : violation.getPropertyPath().toString();
        }
        return String.join(".", within).replace(".[", "[");
    }
}
