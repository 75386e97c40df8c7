package dev.herald.notification;

import io.micronaut.serde.annotation.Serdeable;

/** The answer to a broadcast: how many users it reached, how many notifications it created and replayed. */
@Serdeable
public record BroadcastResult(long recipients, long created, long replayed) {
}
