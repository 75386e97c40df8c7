package dev.herald.desktop.net;

import java.util.List;

/** One page of history, newest first; pass {@code nextCursor} as {@code before} for the next; null at the end. */
public record HistoryPage(List<Notification> items, Long nextCursor) {
}
