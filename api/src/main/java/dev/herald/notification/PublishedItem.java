package dev.herald.notification;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.UUID;

/**
 * One notification a bulk publish created or replayed: {@code index} is the request's place in the batch
 * (0 for a single request to many users). The publisher has the content; this names where it went.
 */
@Serdeable
public record PublishedItem(int index, UUID id, long userId, long seq, Instant createdAt, boolean created) {
}
