package dev.herald.auth;

import java.time.Instant;
import java.util.Set;

/** A stored account. The password hash never leaves this package. */
record User(long id, String username, String passwordHash, Set<String> roles, Instant createdAt) {
}
