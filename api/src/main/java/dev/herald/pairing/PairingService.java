package dev.herald.pairing;

import dev.herald.auth.DeviceSession;
import dev.herald.auth.DeviceSessions;
import dev.herald.auth.OpaqueTokens;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Creating pairings, scanning their QR codes, and turning a scan into the device's session. */
@Singleton
class PairingService {

    /** One message for a forged, tampered, expired, used or unknown QR token: the answer reveals nothing. */
    static final String INVALID_QR_CODE = "Invalid or expired QR code";

    private final PairingStore store;
    private final QrTokens qrTokens;
    private final DeviceSessions deviceSessions;
    private final ApplicationEventPublisher<PairingScanned> scans;
    private final PairingConfig config;

    PairingService(PairingStore store, QrTokens qrTokens, DeviceSessions deviceSessions,
                   ApplicationEventPublisher<PairingScanned> scans, PairingConfig config) {
        this.store = store;
        this.qrTokens = qrTokens;
        this.deviceSessions = deviceSessions;
        this.scans = scans;
        this.config = config;
    }

    PairingViews.Created create(@Nullable String deviceLabel) {
        // Random (v4), not time-ordered: the id alone lets its holder listen for the tokens.
        UUID id = UUID.randomUUID();
        Instant expiresAt = store.create(id, OpaqueTokens.storedForm(qrTokens.codeOf(id)),
                deviceLabel == null ? config.defaultDeviceLabel() : deviceLabel, config.qrTokenTtl());
        return new PairingViews.Created(id, qrTokens.sign(id, expiresAt), expiresAt);
    }

    /** The QR token of a pairing that can still be scanned. */
    Optional<String> qrTokenOf(UUID id) {
        return store.findOpen(id).filter(pairing -> !pairing.claimed())
                .map(pairing -> qrTokens.sign(id, pairing.expiresAt()));
    }

    Optional<PairingStore.Open> findOpen(UUID id) {
        return store.findOpen(id);
    }

    /** Claims the pairing for the user; its device is told after the claim has committed. */
    UUID scan(long userId, String qrToken) {
        UUID id = qrTokens.codeIn(qrToken)
                .flatMap(code -> store.claim(OpaqueTokens.storedForm(code), userId, config.qrTokenTtl()))
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, INVALID_QR_CODE));
        scans.publishEvent(new PairingScanned(id));
        return id;
    }

    /**
     * Completes a scanned pairing and signs its device in, in one transaction; empty when it is not scanned,
     * already completed or expired. Only one caller, on any replica, ever gets the session.
     */
    @Transactional
    Optional<DeviceSession> complete(UUID id) {
        return store.complete(id).map(claim -> deviceSessions.start(claim.userId(), claim.deviceLabel()));
    }
}
