package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One page of a topic's messages, newest first. {@code nextCursor} is the seq to pass as {@code before} for
 * the next page; null at the end.
 */
@Serdeable
public record TopicPage(List<TopicMessage> items, @Nullable Long nextCursor) {
}
