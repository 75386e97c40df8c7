package dev.herald.inventory;

import dev.herald.ops.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * An expiry as the owner gave it: a calendar date, which lasts until the end of that day in the owner's
 * zone, or an exact instant. Exactly one of the two is set.
 */
record ExpiryDate(@Nullable LocalDate date, @Nullable Instant instant) {

    static final String FIELD = "expiryDate";
    private static final String EXPECTED = "must be an ISO date (2030-06-01) or an instant with an offset"
            + " (2030-06-01T18:00:00Z, 2030-06-01T20:00:00+02:00)";
    // PostgreSQL and every client handle four-digit years; anything else is a typo.
    private static final int FIRST_YEAR = 1900;
    private static final int LAST_YEAR = 9999;

    static ExpiryDate of(LocalDate date) {
        return new ExpiryDate(date, null);
    }

    /** Parses what a client sent; a 400 naming the field when it is neither a date nor an instant. */
    static ExpiryDate parse(String text) {
        String trimmed = text.trim();
        try {
            ExpiryDate parsed = trimmed.contains("T")
                    ? new ExpiryDate(null, OffsetDateTime.parse(trimmed, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant())
                    : of(LocalDate.parse(trimmed, DateTimeFormatter.ISO_LOCAL_DATE));
            int year = parsed.date != null ? parsed.date.getYear() : parsed.instant.atOffset(ZoneOffset.UTC).getYear();
            if (year < FIRST_YEAR || year > LAST_YEAR) {
                throw new InvalidRequestException(FIELD, "must lie between the years " + FIRST_YEAR + " and " + LAST_YEAR);
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(FIELD, EXPECTED);
        }
    }

    /** Back from the stored columns; null for a product that never expires. */
    @Nullable
    static ExpiryDate stored(@Nullable LocalDate date, @Nullable Instant expiresAt) {
        if (date != null) {
            return of(date);
        }
        return expiresAt == null ? null : new ExpiryDate(null, expiresAt);
    }

    /** The instant the product expires: a date ends at the next midnight in the owner's zone. */
    Instant expiresAt(ZoneId ownerZone) {
        if (instant != null) {
            return instant;
        }
        try {
            return date.plusDays(1).atStartOfDay(ownerZone).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidRequestException(FIELD, "cannot be resolved in the zone " + ownerZone);
        }
    }

    /** As the owner gave it: {@code 2030-06-01} or {@code 2030-06-01T18:00:00Z}. */
    @Override
    public String toString() {
        return date != null ? date.toString() : instant.toString();
    }
}
