package dev.herald.notification;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message on a topic, stored once for all its subscribers. {@code seq} is its place in the topic's
 * stream: gap-free per topic and in commit order, the cursor a subscriber resumes from.
 */
@Serdeable
public record TopicMessage(String topic,
                           long seq,
                           UUID id,
                           String type,
                           String title,
                           String message,
                           Map<String, Object> data,
                           int priority,
                           List<String> tags,
                           Instant createdAt) {
}
