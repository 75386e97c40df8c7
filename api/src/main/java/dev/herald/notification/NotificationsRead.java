package dev.herald.notification;

import java.util.List;
import java.util.UUID;

/** Raised after commit when a user marked notifications read; every device of theirs should learn of it. */
public record NotificationsRead(long userId, List<UUID> ids) {
}
