package dev.herald.inventory;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** The JSON bodies of the inventory endpoints. Expiry dates are parsed by {@link ExpiryDate}. */
final class ProductRequests {

    static final int MAX_QUANTITY = 1_000_000;
    static final int DEFAULT_QUANTITY = 1;

    private ProductRequests() {
    }

    /** A new product ({@code POST}) or all of one ({@code PUT}); a missing quantity means one. */
    @Serdeable
    record ProductRequest(@NotBlank @Size(max = 200) String name,
                          @Nullable @PositiveOrZero @Max(MAX_QUANTITY) Integer quantity,
                          @Nullable @Size(max = 64) String expiryDate,
                          @Nullable @Size(max = 2000) String notes) {

        int quantityOrDefault() {
            return quantity == null ? DEFAULT_QUANTITY : quantity;
        }
    }

    /**
     * The fields to change ({@code PATCH}); those left out (or null) keep their value. A name must hold a
     * character that is not white space as {@link String#isBlank} (POST's {@code @NotBlank}) and
     * {@link String#strip} see it: {@code \S} alone lets an em space through, to be stripped to nothing.
     */
    @Serdeable
    record ProductPatch(@Nullable @Size(max = 200) @Pattern(regexp = "(?s).*[^\\p{javaWhitespace}].*",
                                message = "must not be blank") String name,
                        @Nullable @PositiveOrZero @Max(MAX_QUANTITY) Integer quantity,
                        @Nullable @Size(max = 64) String expiryDate,
                        @Nullable @Size(max = 2000) String notes) {
    }

    /** What a camera's object detector reports about one item it recognised. */
    @Serdeable
    record ScanRequest(@NotBlank @Size(max = 100) String label,
                       @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double confidence,
                       @Nullable @PositiveOrZero @Max(MAX_QUANTITY) Integer quantity,
                       @Nullable @Size(max = 64) String expiryDate) {

        int quantityOrDefault() {
            return quantity == null ? DEFAULT_QUANTITY : quantity;
        }
    }

    @Serdeable
    record TimeZoneSetting(@NotBlank @Size(max = 64) String timeZone) {
    }
}
