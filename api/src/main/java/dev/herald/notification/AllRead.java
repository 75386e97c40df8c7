package dev.herald.notification;

import io.micronaut.serde.annotation.Serdeable;

/** The outcome of mark-all-read: everything with seq up to {@code upTo} is read; {@code updated} changed. */
@Serdeable
public record AllRead(long upTo, int updated) {
}
