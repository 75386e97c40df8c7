package dev.herald.notification;

/** Raised after commit when a user marked everything up to and including {@code upTo} read. */
public record AllNotificationsRead(long userId, long upTo) {
}
