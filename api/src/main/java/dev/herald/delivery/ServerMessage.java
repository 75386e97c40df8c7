package dev.herald.delivery;

import io.micronaut.core.annotation.Nullable;

/**
 * One message to clients, serialised once however many connections receive it. {@code payload} is the
 * JSON of {@code content}, the payload object (a {@code Notification}, a map); {@code envelope} is the
 * native WebSocket frame {@code {"type","payload"}}. Other dialects frame {@code content} their own way.
 * {@code seq} is the notification's place in its user's stream, a topic message's in its {@code topic}'s,
 * or 0 for messages that have none.
 */
public record ServerMessage(String type, long seq, String payload, String envelope, Object content,
                            @Nullable String topic) {

    public static final String NOTIFICATION = "notification";

    static final String TOPIC_MESSAGE = "topic_message";

    boolean isNotification() {
        return seq > 0 && topic == null;
    }

    boolean isTopicMessage() {
        return topic != null;
    }

    int size() {
        return envelope.length();
    }
}
