package dev.herald.notification;

import java.util.List;

/**
 * Raised after the transaction that stored these notifications committed; delivery starts from here. One
 * event carries all that one transaction stored (a batch, a chunk of a broadcast), in seq order per user,
 * so delivery can hand each connection its share at once.
 */
public record NotificationsPublished(List<Notification> notifications) {
}
