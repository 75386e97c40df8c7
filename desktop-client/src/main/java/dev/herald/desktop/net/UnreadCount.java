package dev.herald.desktop.net;

/**
 * The server's unread count and the cursor it was counted at: notifications with a seq above
 * {@code cursor} are not in {@code count}.
 */
public record UnreadCount(long count, long cursor) {
}
