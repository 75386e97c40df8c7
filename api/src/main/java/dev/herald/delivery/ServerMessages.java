package dev.herald.delivery;

import dev.herald.notification.Notification;
import dev.herald.notification.NotificationJson;
import dev.herald.notification.TopicMessage;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the messages of the native protocol (see the wire protocol in the design brief). */
@Singleton
public final class ServerMessages {

    private final JsonMapper json;
    private final NotificationJson notifications;
    private final ServerMessage ping;
    private final ServerMessage pong;

    ServerMessages(JsonMapper json, NotificationJson notifications) {
        this.json = json;
        this.notifications = notifications;
        this.ping = of("ping", 0, Map.of());
        this.pong = of("pong", 0, Map.of());
    }

    public ServerMessage notification(Notification notification) {
        return of(ServerMessage.NOTIFICATION, notification.seq(), notification, notifications.write(notification));
    }

    public ServerMessage topicMessage(TopicMessage message) {
        String body = json(message);
        return new ServerMessage(ServerMessage.TOPIC_MESSAGE, message.seq(), body,
                envelope(ServerMessage.TOPIC_MESSAGE, body), message, message.topic());
    }

    public ServerMessage read(Collection<UUID> ids) {
        return of("notification_read", 0, Map.of("ids", List.copyOf(ids)));
    }

    public ServerMessage allRead(long upTo) {
        return of("all_read", 0, Map.of("upTo", upTo));
    }

    ServerMessage connected(long userId, String connectionId, long cursor) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("userId", userId);
        payload.put("connectionId", connectionId);
        payload.put("cursor", cursor);
        payload.put("serverTime", Instant.now().toString());
        return of("connected", 0, payload);
    }

    ServerMessage replayed(long from, long to) {
        return of("replayed", 0, Map.of("from", from, "to", to));
    }

    /** Sent once a subscription's backlog after {@code from} went out; live messages follow. */
    ServerMessage subscribed(String topic, long from, long cursor) {
        return of("subscribed", 0, new Subscribed(topic, from, cursor));
    }

    ServerMessage ping() {
        return ping;
    }

    ServerMessage pong() {
        return pong;
    }

    ServerMessage error(String code, String message) {
        return of("error", 0, Map.of("code", code, "message", message));
    }

    /** The last event of a one-way stream that the server ends: what a WebSocket says in its close frame. */
    ServerMessage closing(int code, String reason) {
        return of("close", 0, Map.of("code", code, "reason", reason));
    }

    /** Any JSON value as a string, for dialects that frame messages their own way. */
    String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServerMessage of(String type, long seq, Object payload) {
        return of(type, seq, payload, json(payload));
    }

    private static ServerMessage of(String type, long seq, Object payload, String body) {
        return new ServerMessage(type, seq, body, envelope(type, body), payload, null);
    }

    private static String envelope(String type, String body) {
        return "{\"type\":\"" + type + "\",\"payload\":" + body + "}";
    }
}
