package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One page of history, newest first. {@code nextCursor} is the seq to pass as {@code before} (or, when
 * the page was asked for with {@code after}, as {@code after}) for the next page; null at the end.
 */
@Serdeable
public record HistoryPage(List<Notification> items, @Nullable Long nextCursor) {
}
