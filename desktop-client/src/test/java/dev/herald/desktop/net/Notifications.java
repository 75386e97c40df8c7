package dev.herald.desktop.net;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Notifications for tests. */
public final class Notifications {

    private Notifications() {
    }

    public static Notification unread(long seq) {
        return new Notification(new UUID(0, seq), seq, "test", "Title " + seq, "Message " + seq, Map.of(), 3, List.of(),
                Instant.parse("2026-11-23T10:00:00Z").plusSeconds(seq), null);
    }

    public static Notification read(long seq) {
        return unread(seq).readAt(Instant.parse("2026-11-23T11:00:00Z"));
    }
}
