package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldServer;
import dev.herald.ops.ConstraintViolationHandler;
import dev.herald.ops.Problem;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batch items are checked by {@link PublishRequestRules}, single requests by the bean validator reading
 * {@link PublishRequest}'s annotations: the two must give the same errors, or a request valid alone would be
 * refused in a batch (or the other way round).
 */
class PublishRequestRulesTest {

    @RegisterExtension
    static HeraldServer herald = new HeraldServer();

    private static final String LONG_64 = "x".repeat(64);

    @Test
    void directRulesGiveTheBeanValidatorsErrorsForEveryConstraint() {
        Validator validator = herald.bean(Validator.class);
        List<PublishRequest> requests = new ArrayList<>();
        PublishRequest valid = new PublishRequest(7L, null, null, null, null, "type", "title", null, null, null, null, null);
        requests.add(valid);
        for (UnaryOperator<PublishRequest> change : changes()) {
            requests.add(change.apply(valid));
        }
        int invalid = 0;
        for (PublishRequest request : requests) {
            Set<String> expected = validator.validate(request).stream()
                    .map(v -> ConstraintViolationHandler.fieldOf(v) + ": " + v.getMessage())
                    .collect(Collectors.toSet());
            Set<String> direct = PublishRequestRules.violations(request).stream()
                    .map(e -> e.field() + ": " + e.message())
                    .collect(Collectors.toSet());
            assertThat(direct).as("errors of %s", request).isEqualTo(expected);
            invalid += expected.isEmpty() ? 0 : 1;
        }
        assertThat(invalid).as("requests the validator refused").isGreaterThanOrEqualTo(30);
    }

    @Test
    void directRulesListEveryErrorOfOneRequest() {
        PublishRequest request = new PublishRequest(-1L, "", Arrays.asList(1L, null, 0L), List.of(" ", LONG_64 + "y"),
                "some", "bad type!", " ", "m".repeat(4001), Map.of(), 0, List.of(""), "");
        assertThat(PublishRequestRules.violations(request)).extracting(Problem.FieldError::field)
                .containsExactlyInAnyOrder("userId", "username", "userIds[1]", "userIds[2]", "usernames[0]",
                        "usernames[1]", "audience", "type", "title", "message", "priority", "tags[0]", "idempotencyKey");
    }

    private static List<UnaryOperator<PublishRequest>> changes() {
        List<UnaryOperator<PublishRequest>> changes = new ArrayList<>();
        for (Long id : new Long[]{0L, -5L, 1L, Long.MAX_VALUE}) {
            changes.add(r -> copy(r, Map.of("userId", id)));
        }
        for (String name : new String[]{"", " ", "a", LONG_64, LONG_64 + "z"}) {
            changes.add(r -> copy(r, Map.of("username", name)));
        }
        changes.add(r -> copy(r, Map.of("userIds", Arrays.asList(1L, null, -2L, 0L, 3L))));
        changes.add(r -> copy(r, Map.of("userIds", List.of())));
        changes.add(r -> copy(r, Map.of("usernames", Arrays.asList("ok", "", "\t", LONG_64, LONG_64 + "!", "\u2003"))));
        for (String audience : new String[]{"all", "ALL", "", "everyone"}) {
            changes.add(r -> copy(r, Map.of("audience", audience)));
        }
        for (String type : new String[]{"", " ", "a.b:c-d_e", "with space", "é", LONG_64, LONG_64 + "1", "\u2003"}) {
            changes.add(r -> copy(r, Map.of("type", type)));
        }
        changes.add(r -> copy(r, Map.of("type", NULL)));
        for (String title : new String[]{"", "  ", "\n", "t".repeat(200), "t".repeat(201), "\u2003"}) {
            changes.add(r -> copy(r, Map.of("title", title)));
        }
        changes.add(r -> copy(r, Map.of("title", NULL)));
        for (String message : new String[]{"", "m".repeat(4000), "m".repeat(4001)}) {
            changes.add(r -> copy(r, Map.of("message", message)));
        }
        for (int priority : new int[]{-1, 0, 1, 5, 6, Integer.MAX_VALUE}) {
            changes.add(r -> copy(r, Map.of("priority", priority)));
        }
        changes.add(r -> copy(r, Map.of("tags", Arrays.asList("a", "", " ", LONG_64, LONG_64 + "+", "\u2003"))));
        for (String key : new String[]{"", "k", "k".repeat(200), "k".repeat(201)}) {
            changes.add(r -> copy(r, Map.of("idempotencyKey", key)));
        }
        return changes;
    }

    private static final Object NULL = new Object();

    private static PublishRequest copy(PublishRequest r, Map<String, Object> change) {
        return new PublishRequest(
                (Long) pick(change, "userId", r.userId()), (String) pick(change, "username", r.username()),
                list(pick(change, "userIds", r.userIds())), list(pick(change, "usernames", r.usernames())),
                (String) pick(change, "audience", r.audience()), (String) pick(change, "type", r.type()),
                (String) pick(change, "title", r.title()), (String) pick(change, "message", r.message()), r.data(),
                (Integer) pick(change, "priority", r.priority()), list(pick(change, "tags", r.tags())),
                (String) pick(change, "idempotencyKey", r.idempotencyKey()));
    }

    private static Object pick(Map<String, Object> change, String field, Object current) {
        Object value = change.getOrDefault(field, current);
        return value == NULL ? null : value;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object value) {
        return (List<T>) value;
    }
}
