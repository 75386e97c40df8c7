package dev.herald.notification;

/** Raised after the transaction that stored the notification committed; delivery starts from here. */
public record NotificationPublished(Notification notification) {
}
