package dev.herald.pairing;

import dev.herald.auth.DeviceSession;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/** The events of a pairing stream, their data as JSON. */
@Singleton
final class PairingEvents {

    static final String CONNECTION = "connection";
    static final String SESSION_STARTED = "session-started";
    static final String EXPIRED = "expired";

    private final JsonMapper json;

    PairingEvents(JsonMapper json) {
        this.json = json;
    }

    Event<String> connection(UUID pairingId, Instant expiresAt) {
        return named(CONNECTION, new PairingViews.Connected(pairingId, expiresAt));
    }

    Event<String> sessionStarted(DeviceSession session) {
        return named(SESSION_STARTED, session);
    }

    Event<String> expired(UUID pairingId) {
        return named(EXPIRED, new PairingViews.Expired(pairingId));
    }

    private Event<String> named(String name, Object data) {
        try {
            return Event.of(json.writeValueAsString(data)).name(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
