package dev.herald.delivery;

import dev.herald.ops.EventStream;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The native messages as server-sent events: {@code event: <type>}, {@code data: <payload>} and, on
 * every event, {@code id: <position>}, the seq the client has everything up to. EventSource sends the
 * last id back as {@code Last-Event-ID} when it reconnects, so even a client that has received no
 * notification yet resumes without a gap. On a stream that reads topics the id also carries each topic's
 * seq ({@link StreamPosition}). Pings become comment heartbeats.
 */
final class SseTransport implements Transport {

    private final EventStream stream;
    private final ServerMessages messages;
    private final Duration retry;
    private volatile int closedWith;
    // Each topic's seq the client has everything up to; written by the connection's draining thread only.
    private final Map<String, Long> topicPositions = new LinkedHashMap<>();

    /**
     * @param topicPositions each topic the stream reads and the seq its client has it up to, known before the
     *                       first event: so every id, {@code connected}'s on, carries them all, and a stream that
     *                       drops before a topic's {@code subscribed} loses none of that topic's messages
     */
    SseTransport(ServerMessages messages, Duration retry, Runnable onClientGone, Map<String, Long> topicPositions) {
        this.messages = messages;
        this.retry = retry;
        this.stream = new EventStream(onClientGone);
        this.topicPositions.putAll(topicPositions);
    }

    EventStream stream() {
        return stream;
    }

    /** The close code if the server closed the stream, else 0. */
    int closedWith() {
        return closedWith;
    }

    @Override
    public CompletableFuture<?> send(ServerMessage message, long position) {
        if (message == messages.ping()) {
            return stream.send(EventStream.HEARTBEAT);
        }
        if (message.isTopicMessage()) {
            topicPositions.put(message.topic(), message.seq());
        } else if (message.content() instanceof Subscribed subscribed) {
            topicPositions.put(subscribed.topic(), subscribed.cursor());
        }
        Event<String> event = Event.of(message.payload()).name(message.type());
        if (position >= 0) {
            event = event.id(StreamPosition.id(position, topicPositions));
        }
        if (!message.isNotification() && "connected".equals(message.type())) {
            event = event.retry(retry);
        }
        return stream.send(event);
    }

    /**
     * Ends a stream that never started, with its close event: unlike {@link #close}, which drops what the
     * response has not taken yet, the event waits for the response to take it, then the stream ends.
     */
    void endBeforeStart(int code, String reason) {
        closedWith = code;
        stream.send(Event.of(messages.closing(code, reason).payload()).name("close"));
        stream.complete();
    }

    @Override
    public void close(int code, String reason) {
        closedWith = code;
        stream.close(Event.of(messages.closing(code, reason).payload()).name("close"));
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public boolean answersPings() {
        return false;
    }
}
