package dev.herald.desktop.net;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A notification as the server sends it; {@code seq} is its place in the user's stream, the resume cursor. */
public record Notification(UUID id, long seq, String type, String title, String message, Map<String, Object> data,
                           int priority, List<String> tags, Instant createdAt, Instant readAt) {

    public boolean unread() {
        return readAt == null;
    }

    public Notification readAt(Instant when) {
        return new Notification(id, seq, type, title, message, data, priority, tags, createdAt, when);
    }
}
