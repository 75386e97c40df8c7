package dev.herald.desktop.net;

import java.time.Instant;
import java.util.UUID;

/** A QR pairing this device opened; the phone scans {@code qrToken} (shown as the QR code). */
public record Pairing(UUID pairingId, String qrToken, Instant expiresAt) {
}
