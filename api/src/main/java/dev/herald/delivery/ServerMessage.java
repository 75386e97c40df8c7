package dev.herald.delivery;

/**
 * One message to clients, serialised once however many connections receive it. {@code payload} is the
 * JSON of the payload object; {@code envelope} is the native WebSocket frame {@code {"type","payload"}}.
 * {@code seq} is the notification's place in its user's stream, or 0 for messages that have none.
 */
public record ServerMessage(String type, long seq, String payload, String envelope) {

    public static final String NOTIFICATION = "notification";

    boolean isNotification() {
        return seq > 0;
    }

    int size() {
        return envelope.length();
    }
}
