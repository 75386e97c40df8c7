package dev.herald.notification;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The answer to a batch or to a request for many users: each notification, in request order. */
@Serdeable
public record BulkPublishResult(int created, int replayed, List<PublishedItem> items) {
}
