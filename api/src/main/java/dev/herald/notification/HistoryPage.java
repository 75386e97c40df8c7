package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One page of history, newest first. {@code nextCursor} is the seq to pass as {@code before} for the next
 * page (keeping {@code after}, if any, as a floor); when the page was asked for with {@code after} alone, it
 * is the next {@code after}. Null at the end.
 */
@Serdeable
public record HistoryPage(List<Notification> items, @Nullable Long nextCursor) {
}
