package dev.herald.pairing;

import dev.herald.ops.EventStream;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pairing streams open on this node, by pairing id: the device of a pairing listens on one node, so
 * this registry is local and the database is the truth (see {@link PairingWatch}).
 */
@Singleton
final class PairingStreams {

    private final Map<UUID, EventStream> open = new ConcurrentHashMap<>();

    /**
     * Opens the pairing's stream with its first event. A stream opened again (the device reconnected before
     * this node noticed it left) replaces the earlier one.
     */
    EventStream open(UUID id, Event<String> first) {
        AtomicReference<EventStream> self = new AtomicReference<>();
        EventStream stream = new EventStream(() -> open.remove(id, self.get()));
        self.set(stream);
        stream.send(first);
        EventStream previous = open.put(id, stream);
        if (previous != null) {
            end(id, previous, null);
        }
        return stream;
    }

    Optional<EventStream> find(UUID id) {
        return Optional.ofNullable(open.get(id));
    }

    Map<UUID, EventStream> snapshot() {
        return Map.copyOf(open);
    }

    /**
     * Runs the step while the stream is still the pairing's open stream, one step per stream at a time: so
     * a stream that is being handed its tokens is not ended under them, and no step follows its end.
     */
    void whileOpen(UUID id, EventStream stream, Runnable step) {
        synchronized (stream) {
            if (open.get(id) == stream) {
                step.run();
            }
        }
    }

    /** Sends the last event, if any, and ends the stream. */
    void end(UUID id, EventStream stream, @Nullable Event<String> last) {
        synchronized (stream) {
            open.remove(id, stream);
            if (last != null) {
                stream.send(last);
            }
            stream.complete();
        }
    }

    /** Ends every stream on shutdown, so devices reconnect to another replica at once. */
    @PreDestroy
    void endAll() {
        snapshot().forEach((id, stream) -> end(id, stream, null));
    }
}
