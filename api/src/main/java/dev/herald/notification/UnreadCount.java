package dev.herald.notification;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The user's unread count and the cursor it was counted at, read in one snapshot: a client adds to
 * {@code count} the unread notifications it receives with a seq above {@code cursor}, and no others.
 */
@Serdeable
public record UnreadCount(long count, long cursor) {
}
