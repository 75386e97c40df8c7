package dev.herald.ops;

import java.util.List;

/**
 * Input that passed bean validation but is still wrong, such as a field that conflicts with another, or
 * the items of a batch that are wrong (each error then names its item's index). Answered with 400.
 */
public final class InvalidRequestException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public InvalidRequestException(String field, String message) {
        this(List.of(new Problem.FieldError(field, message)));
    }

    public InvalidRequestException(List<Problem.FieldError> errors) {
        super(Problem.summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
