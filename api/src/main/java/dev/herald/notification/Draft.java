package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;

/**
 * A notification about to be stored for one recipient. {@code index} is its request's place in a batch (0
 * otherwise); {@code hash} is the request's fingerprint for this recipient, present with a key.
 */
record Draft(int index, long publisherId, long userId, Content content, @Nullable String key, @Nullable byte[] hash) {

    static Draft of(int index, long publisherId, long userId, Content content, @Nullable String key) {
        return new Draft(index, publisherId, userId, content, key, key == null ? null : content.fingerprintFor(userId));
    }

    @Nullable
    NotificationRepository.KeyedRecipient keyed() {
        return key == null ? null : new NotificationRepository.KeyedRecipient(publisherId, key, userId);
    }
}
