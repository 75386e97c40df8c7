package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.Credentials;
import dev.herald.notification.TopicService;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * What a client may say on a native connection: {@code ping}, {@code pong}, {@code mark_read},
 * {@code mark_all_read}, {@code resume}, {@code subscribe}, {@code unsubscribe} and {@code auth}. Anything else, or anything malformed, gets an
 * {@code error} message and leaves the connection open; only floods and oversized frames close it.
 */
@Singleton
final class NativeProtocol {

    private static final Argument<Map<String, Object>> OBJECT = Argument.mapOf(String.class, Object.class);

    private final JsonMapper json;
    private final InboundLimits limits;
    private final ReadStateChanges readState;
    private final Credentials credentials;
    private final ServerMessages messages;
    private final ExecutorService executor;
    private final DeliveryConfig config;

    NativeProtocol(JsonMapper json, InboundLimits limits, ReadStateChanges readState, Credentials credentials,
                   ServerMessages messages, @Named(TaskExecutors.BLOCKING) ExecutorService executor,
                   DeliveryConfig config) {
        this.config = config;
        this.json = json;
        this.limits = limits;
        this.readState = readState;
        this.credentials = credentials;
        this.messages = messages;
        this.executor = executor;
    }

    void onText(Connection connection, String text) {
        if (!limits.admit(connection, text)) {
            return;
        }
        Map<String, Object> message;
        try {
            message = json.readValue(text, OBJECT);
        } catch (IOException | RuntimeException e) {
            connection.send(messages.error("invalid_message", "Messages are JSON objects with a \"type\""));
            return;
        }
        if (message == null || !(message.get("type") instanceof String type)) {
            connection.send(messages.error("invalid_message", "Messages are JSON objects with a \"type\""));
            return;
        }
        switch (type) {
            case "pong" -> {
            }
            case "ping" -> connection.send(messages.pong());
            case "mark_read" -> markRead(connection, message.get("ids"));
            case "mark_all_read" -> readState.markAllRead(connection);
            case "resume" -> {
                Optional<Long> since = seqOf(message.get("since"));
                if (since.isPresent()) {
                    connection.resume(since.get());
                } else {
                    connection.send(messages.error("invalid_message", "resume needs \"since\": a seq of 0 or more"));
                }
            }
            case "subscribe" -> subscribe(connection, message.get("topic"), message.get("since"));
            case "unsubscribe" -> {
                if (message.get("topic") instanceof String topic && TopicService.isValidName(topic)) {
                    connection.unsubscribe(topic);
                } else {
                    connection.send(messages.error("invalid_message", TOPIC_RULE.formatted("unsubscribe")));
                }
            }
            case "auth" -> renew(connection, message.get("token"));
            default -> connection.send(messages.error("unknown_type", "Unknown message type: " + abbreviated(type)));
        }
    }

    private static final String TOPIC_RULE = "%s needs \"topic\": 1 to 64 letters, digits or _ . : -";

    private void subscribe(Connection connection, Object topicValue, Object sinceValue) {
        if (!(topicValue instanceof String topic) || !TopicService.isValidName(topic)) {
            connection.send(messages.error("invalid_message", TOPIC_RULE.formatted("subscribe")));
            return;
        }
        Long since = null;
        if (sinceValue != null) {
            Optional<Long> seq = seqOf(sinceValue);
            if (seq.isEmpty()) {
                connection.send(messages.error("invalid_message", "subscribe's \"since\" is a seq of 0 or more"));
                return;
            }
            since = seq.get();
        }
        if (!connection.subscribe(topic, since)) {
            connection.send(messages.error("too_many_subscriptions",
                    "A connection may subscribe to at most " + config.maxSubscriptions() + " topics"));
        }
    }

    private void markRead(Connection connection, Object ids) {
        Optional<List<UUID>> parsed = uuids(ids);
        if (parsed.isEmpty()) {
            connection.send(messages.error("invalid_message", "mark_read needs \"ids\": a list of notification ids"));
            return;
        }
        readState.markRead(connection, parsed.get());
    }

    private void renew(Connection connection, Object token) {
        if (!(token instanceof String raw) || raw.isBlank()) {
            connection.send(messages.error("invalid_message", "auth needs \"token\""));
            return;
        }
        executor.execute(() -> {
            Optional<Credential> credential = credentials.verify(raw)
                    .filter(fresh -> fresh.caller().userId() == connection.userId());
            if (credential.isPresent()) {
                connection.renewCredential(credential.get().expiresAt());
            } else {
                connection.send(messages.error("unauthorized", "That token is not valid for this connection"));
            }
        });
    }

    /**
     * A seq as a client sends it: a whole number from 0 that fits a long. JSON numbers past that arrive as
     * BigInteger (whose longValue would wrap round) and fractions as Double: neither is a seq.
     */
    static Optional<Long> seqOf(Object value) {
        if ((value instanceof Integer || value instanceof Long || value instanceof Short) && ((Number) value).longValue() >= 0) {
            return Optional.of(((Number) value).longValue());
        }
        return Optional.empty();
    }

    private static Optional<List<UUID>> uuids(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            return Optional.empty();
        }
        List<UUID> ids = new ArrayList<>(list.size());
        for (Object item : list) {
            try {
                ids.add(UUID.fromString(String.valueOf(item)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(ids);
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
