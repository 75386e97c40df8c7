package dev.herald.fanout;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.value.PropertyResolver;

/**
 * Which fan-out this node uses ({@code herald.fanout.transport}): {@code in-process} for a single node,
 * {@code postgres} (LISTEN/NOTIFY) or {@code nats} across nodes. The default, {@code auto}, picks
 * {@code postgres} when Herald is given a database of its own to share ({@code DATASOURCES_DEFAULT_URL}),
 * since replicas share it, and {@code in-process} on the embedded database, which only one node can use.
 */
final class FanoutTransport {

    static final String PROPERTY = "herald.fanout.transport";

    private FanoutTransport() {
    }

    static String chosen(PropertyResolver properties) {
        String configured = properties.getProperty(PROPERTY, String.class, "auto").strip();
        if (!configured.equals("auto")) {
            return configured;
        }
        boolean sharedDatabase = properties.getProperty("datasources.default.url", String.class)
                .filter(url -> !url.isBlank()).isPresent();
        return sharedDatabase ? "postgres" : "in-process";
    }

    /** Matches when the chosen transport is PostgreSQL's. */
    static final class Postgres implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            return chosen(context).equals("postgres");
        }
    }

    /** Matches when the chosen transport is this node alone. */
    static final class InProcess implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            return chosen(context).equals("in-process");
        }
    }
}
