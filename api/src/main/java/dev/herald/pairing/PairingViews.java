package dev.herald.pairing;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.UUID;

/** The JSON answers of the pairing endpoints and the data of the pairing stream's events. */
final class PairingViews {

    private PairingViews() {
    }

    @Serdeable
    record Created(UUID pairingId, String qrToken, Instant expiresAt) {
    }

    @Serdeable
    record Scanned(UUID pairingId, String status) {

        static Scanned paired(UUID pairingId) {
            return new Scanned(pairingId, "paired");
        }
    }

    /** The data of the stream's {@code connection} event. */
    @Serdeable
    record Connected(UUID pairingId, Instant expiresAt) {
    }

    /** The data of the stream's {@code expired} event. */
    @Serdeable
    record Expired(UUID pairingId) {
    }
}
