package dev.herald.notification;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored notification, as every transport and the REST API show it. {@code seq} is its place in its
 * user's stream: gap-free per user and in commit order, the cursor every client resumes from.
 */
@Serdeable
public record Notification(UUID id,
                           @JsonIgnore long userId,
                           long seq,
                           String type,
                           String title,
                           String message,
                           Map<String, Object> data,
                           int priority,
                           List<String> tags,
                           Instant createdAt,
                           @Nullable Instant readAt) {
}
