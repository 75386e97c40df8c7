package dev.herald.auth;

import java.time.Instant;

/** A verified credential: who it names, and until when it may be used. */
public record Credential(Caller caller, Instant expiresAt) {
}
