package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.Credentials;
import dev.herald.notification.NotificationService;
import dev.herald.ops.InvalidRequestException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private final NotificationService notifications;
    private final Credentials credentials;
    private final ServerMessages messages;
    private final DeliveryConfig config;
    private final ExecutorService executor;

    NativeProtocol(JsonMapper json, NotificationService notifications, Credentials credentials,
                   ServerMessages messages, DeliveryConfig config,
                   @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.json = json;
        this.notifications = notifications;
        this.credentials = credentials;
        this.messages = messages;
        this.config = config;
        this.executor = executor;
    }

    void onText(Connection connection, String text) {
        connection.heard();
        if (utf8Length(text) > config.maxFrameBytes()) {
            connection.closeAfterFlush(CloseCodes.TOO_BIG, "Frame too large");
            return;
        }
        switch (connection.admitInbound(System.nanoTime())) {
            case CLOSE -> {
                connection.closeAfterFlush(CloseCodes.POLICY, "Too many messages");
                return;
            }
            case REFUSE -> {
                connection.send(messages.error("rate_limited",
                        "More than " + config.maxInboundPerSecond() + " messages a second; this one was ignored"));
                return;
            }
            case ACCEPT -> {
            }
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
            case "mark_all_read" -> executor.execute(() -> guarded(connection,
                    () -> notifications.markAllRead(connection.userId())));
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
        executor.execute(() -> guarded(connection, () -> notifications.markRead(connection.userId(), parsed.get())));
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

    /** Runs a read-state change; its outcome reaches every connection through fan-out, errors only this one. */
    private void guarded(Connection connection, Runnable change) {
        try {
            change.run();
        } catch (HttpStatusException e) {
            connection.send(messages.error(e.getStatus().getCode() == 404 ? "not_found" : "invalid_request",
                    e.getMessage()));
        } catch (InvalidRequestException e) {
            connection.send(messages.error("invalid_request", e.field() + ": " + e.getMessage()));
        }
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

    /** A UTF-8 char takes at most 3 bytes, so short texts need no encoding to be measured. */
    private int utf8Length(String text) {
        return text.length() * 3L <= config.maxFrameBytes() ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
