package dev.herald.pairing;

import java.util.UUID;

/** Published in-process once a scan has committed, so a device listening on this node gets its tokens at once. */
record PairingScanned(UUID pairingId) {
}
