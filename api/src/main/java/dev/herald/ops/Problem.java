package dev.herald.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An RFC 9457 problem details body. {@code errors} lists what was wrong with which field, when the
 * problem is invalid input.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, @Nullable String detail, @Nullable String instance,
                      @Nullable List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** A 400 for invalid input, its detail summing up every field error. */
    static Problem invalid(String instance, List<FieldError> errors) {
        return new Problem("about:blank", "Bad Request", 400, summary(errors), instance, errors);
    }

    static String summary(List<FieldError> errors) {
        return errors.stream().map(FieldError::describe).collect(Collectors.joining("; "));
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record FieldError(@Nullable Integer index, @Nullable String field, String message) {

        public FieldError(@Nullable String field, String message) {
            this(null, field, message);
        }

        /** The same error, said of the item at {@code index} of a batch. */
        public FieldError at(int index) {
            return new FieldError(index, field, message);
        }

        String describe() {
            String where = index == null ? field : field == null ? "[" + index + "]" : "[" + index + "]." + field;
            return where == null ? message : where + ": " + message;
        }
    }
}
