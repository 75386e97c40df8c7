package dev.herald.inventory;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * A product in an owner's household, as the API shows it. {@code expiryDate} is what the owner gave (a
 * date or an instant), {@code expiresAt} the instant it stands for in their zone; {@code status} is
 * {@code active}, {@code expiring} (within the warning lead time) or {@code expired}, as of the request.
 * {@code nutrition} holds a scanned food's facts per 100 g (see {@link NutritionFacts}).
 */
@Serdeable
record Product(long id,
               @JsonIgnore long userId,
               String name,
               int quantity,
               @Nullable String expiryDate,
               @Nullable Instant expiresAt,
               String status,
               @Nullable String notes,
               String source,
               @Nullable String food,
               @Nullable Map<String, Object> nutrition,
               Instant createdAt,
               Instant updatedAt) {

    static final String MANUAL = "manual";
    static final String SCAN = "scan";

    @Nullable
    ExpiryDate expiry() {
        return expiryDate == null ? null : ExpiryDate.parse(expiryDate);
    }
}
