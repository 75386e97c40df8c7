package dev.herald.pairing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The JSON bodies of the pairing endpoints. */
final class PairingRequests {

    static final int MAX_LABEL_LENGTH = 64;

    private PairingRequests() {
    }

    /** @param label how the device session is shown among the user's sessions, e.g. "Kitchen kiosk" */
    @Serdeable
    record NewPairing(@Nullable @Size(min = 1, max = MAX_LABEL_LENGTH)
                      @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String label) {
    }

    @Serdeable
    record Scan(@NotBlank @Size(max = 4096) String qrToken) {
    }
}
