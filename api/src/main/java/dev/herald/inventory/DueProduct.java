package dev.herald.inventory;

import java.time.Instant;

/** A product whose expiring warning or expiration notice is due, as the expiry check claimed it. */
record DueProduct(long id, long userId, String name, ExpiryDate expiry, Instant expiresAt) {
}
