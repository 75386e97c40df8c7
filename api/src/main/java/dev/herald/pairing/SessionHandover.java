package dev.herald.pairing;

import dev.herald.ops.EventStream;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands a scanned pairing's new session to the device listening on this node, then ends its stream. */
@Singleton
final class SessionHandover {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHandover.class);

    private final PairingService pairings;
    private final PairingStreams streams;
    private final PairingEvents events;

    SessionHandover(PairingService pairings, PairingStreams streams, PairingEvents events) {
        this.pairings = pairings;
        this.streams = streams;
        this.events = events;
    }

    /** A scan on this node: the device hears at once if it listens here; elsewhere {@link PairingWatch} sees it. */
    @EventListener
    void onScanned(PairingScanned scanned) {
        streams.find(scanned.pairingId()).ifPresent(stream -> handOver(scanned.pairingId(), stream));
    }

    /**
     * Issues the tokens, if this stream is the one that completes the pairing, and sends them. A failure
     * leaves the pairing scanned and uncompleted, so the next check tries again.
     */
    void handOver(UUID pairingId, EventStream stream) {
        try {
            streams.whileOpen(pairingId, stream, () -> pairings.complete(pairingId)
                    .ifPresent(session -> streams.end(pairingId, stream, events.sessionStarted(session))));
        } catch (RuntimeException e) {
            // Not the id: whoever holds it may collect the tokens until the pairing expires.
            LOG.warn("Could not complete a pairing; will retry", e);
        }
    }
}
