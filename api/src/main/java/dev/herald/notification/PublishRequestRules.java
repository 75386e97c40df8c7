package dev.herald.notification;

import dev.herald.ops.Problem;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The constraints {@link PublishRequest} declares, checked directly. A batch of 1,000 items through the
 * bean validator spent more server time validating than storing (each item walks the introspected
 * properties and their container elements), so batch items come here, and so do single requests (bean
 * validation was about 6 % of a single publish's server time). {@code PublishRequestRulesTest} holds the two
 * to the same answers, field by field, message by message.
 */
final class PublishRequestRules {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final String NOT_BLANK = "must not be blank";
    private static final String POSITIVE = "must be greater than 0";

    private PublishRequestRules() {
    }

    /** Every broken constraint of the request, under the name the client used ({@code tags[2]}). */
    static List<Problem.FieldError> violations(PublishRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>(0);
        if (request.userId() != null && request.userId() <= 0) {
            errors.add(new Problem.FieldError("userId", POSITIVE));
        }
        size(errors, "username", request.username(), 1, 64);
        if (request.userIds() != null) {
            for (int i = 0; i < request.userIds().size(); i++) {
                Long id = request.userIds().get(i);
                if (id == null) {
                    errors.add(new Problem.FieldError("userIds[" + i + "]", "must not be null"));
                } else if (id <= 0) {
                    errors.add(new Problem.FieldError("userIds[" + i + "]", POSITIVE));
                }
            }
        }
        names(errors, "usernames", request.usernames());
        if (request.audience() != null && !request.audience().equals(PublishRequest.AUDIENCE_ALL)) {
            errors.add(new Problem.FieldError("audience", "must be \"" + PublishRequest.AUDIENCE_ALL + "\""));
        }
        notBlank(errors, "type", request.type());
        if (request.type() != null && !TYPE.matcher(request.type()).matches()) {
            errors.add(new Problem.FieldError("type", "must be 1 to 64 letters, digits or _ . : -"));
        }
        notBlank(errors, "title", request.title());
        size(errors, "title", request.title(), 0, 200);
        size(errors, "message", request.message(), 0, 4000);
        if (request.priority() != null && request.priority() < 1) {
            errors.add(new Problem.FieldError("priority", "must be greater than or equal to 1"));
        }
        if (request.priority() != null && request.priority() > 5) {
            errors.add(new Problem.FieldError("priority", "must be less than or equal to 5"));
        }
        names(errors, "tags", request.tags());
        size(errors, "idempotencyKey", request.idempotencyKey(), 1, 200);
        return errors;
    }

    /**
     * A single publish: the request and its {@code Idempotency-Key} header together, sorted by field, as the
     * constraint violation handler answers them.
     */
    static List<Problem.FieldError> violations(PublishRequest request, @Nullable String keyHeader) {
        List<Problem.FieldError> errors = violations(request);
        size(errors, "idempotencyKey", keyHeader, 1, 200);
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return errors;
    }

    private static void names(List<Problem.FieldError> errors, String field, List<String> values) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            notBlank(errors, field + "[" + i + "]", values.get(i));
            size(errors, field + "[" + i + "]", values.get(i), 0, 64);
        }
    }

    private static void notBlank(List<Problem.FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, NOT_BLANK));
        }
    }

    private static void size(List<Problem.FieldError> errors, String field, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            errors.add(new Problem.FieldError(field, "size must be between " + min + " and " + max));
        }
    }
}
