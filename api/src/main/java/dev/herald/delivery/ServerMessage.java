package dev.herald.delivery;

/**
 * One message to clients, serialised once however many connections receive it. {@code payload} is the
 * JSON of {@code content}, the payload object (a {@code Notification}, a map); {@code envelope} is the
 * native WebSocket frame {@code {"type","payload"}}. Other dialects frame {@code content} their own way.
 * {@code seq} is the notification's place in its user's stream, or 0 for messages that have none.
 */
public record ServerMessage(String type, long seq, String payload, String envelope, Object content) {

    public static final String NOTIFICATION = "notification";

    boolean isNotification() {
        return seq > 0;
    }

    int size() {
        return envelope.length();
    }
}
