package dev.herald.delivery;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an ExpireEye client may say: the text {@code PING} (answered with {@code PONG}) and
 * {@code {"action":"mark_read","id":...}} for one of its own notifications. Anything else gets an
 * {@code ERROR} message and leaves the connection open.
 */
@Singleton
final class ExpireEyeProtocol {

    private static final Argument<Map<String, Object>> OBJECT = Argument.mapOf(String.class, Object.class);

    private final JsonMapper json;
    private final InboundLimits limits;
    private final ReadStateChanges readState;
    private final ServerMessages messages;

    ExpireEyeProtocol(JsonMapper json, InboundLimits limits, ReadStateChanges readState, ServerMessages messages) {
        this.json = json;
        this.limits = limits;
        this.readState = readState;
        this.messages = messages;
    }

    void onText(Connection connection, String text) {
        if (!limits.admit(connection, text)) {
            return;
        }
        if ("PING".equalsIgnoreCase(text.strip())) {
            connection.send(messages.pong());
            return;
        }
        Map<String, Object> message;
        try {
            message = json.readValue(text, OBJECT);
        } catch (IOException | RuntimeException e) {
            message = null;
        }
        if (message == null || !(message.get("action") instanceof String action)) {
            connection.send(messages.error("invalid_message", "Send PING or a JSON object with an \"action\""));
            return;
        }
        if (!"mark_read".equals(action)) {
            connection.send(messages.error("unknown_action", "Unknown action: " + abbreviated(action)));
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(message.get("id")));
        } catch (IllegalArgumentException e) {
            connection.send(messages.error("invalid_message", "mark_read needs \"id\": a notification id"));
            return;
        }
        readState.markRead(connection, List.of(id));
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
