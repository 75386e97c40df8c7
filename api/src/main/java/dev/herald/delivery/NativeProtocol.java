package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.Credentials;
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
 * {@code mark_all_read}, {@code resume} and {@code auth}. Anything else, or anything malformed, gets an
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

    NativeProtocol(JsonMapper json, InboundLimits limits, ReadStateChanges readState, Credentials credentials,
                   ServerMessages messages, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
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
                if (message.get("since") instanceof Number since && since.longValue() >= 0) {
                    connection.resume(since.longValue());
                } else {
                    connection.send(messages.error("invalid_message", "resume needs \"since\": a seq of 0 or more"));
                }
            }
            case "auth" -> renew(connection, message.get("token"));
            default -> connection.send(messages.error("unknown_type", "Unknown message type: " + abbreviated(type)));
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
