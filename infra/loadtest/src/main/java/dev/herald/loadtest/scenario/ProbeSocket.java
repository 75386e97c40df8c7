package dev.herald.loadtest.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.loadtest.rest.HeraldRest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A single WebSocket for the cold-start probe, which needs one connection the moment the server accepts
 * it, not a fleet: the JDK's client, retried until the upgrade is accepted.
 */
final class ProbeSocket implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Tries to open the socket once; false when the server does not accept it (yet). */
    boolean tryOpen(HttpClient http, URI webSocketUrl, String token) {
        try {
            socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
                    .header("Authorization", "Bearer " + token).buildAsync(webSocketUrl, this).join();
            return true;
        } catch (CompletionException notYet) {
            return false;
        }
    }

    /** The next message of this type, or null after the timeout. */
    JsonNode next(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode message = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null || type.equals(message.path("type").asText())) {
                return message;
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(HeraldRest.read(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
