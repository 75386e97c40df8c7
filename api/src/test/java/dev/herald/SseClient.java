package dev.herald;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server-sent-events client over a real socket, parsing the stream as the EventSource specification
 * does (fields {@code id}, {@code event}, {@code data}, {@code retry}; comments; blank line dispatches).
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched event; {@code id} is null when the event carried none. */
    public record SseEvent(String id, String event, String data, Long retry) {
    }

    private final JsonMapper json;
    private final HttpResponse<InputStream> response;
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread reader;
    private final String errorBody;

    /** A 200 answer is read as a stream; any other is read whole, as the error it is. */
    private SseClient(JsonMapper json, HttpResponse<InputStream> response) throws IOException {
        this.json = json;
        this.response = response;
        if (response.statusCode() == 200) {
            this.reader = Thread.ofVirtual().start(this::read);
            this.errorBody = null;
        } else {
            this.reader = null;
            try (InputStream body = response.body()) {
                this.errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            ended.complete(null);
        }
    }

    /** The body of an answer other than 200. */
    public String errorBody() {
        return errorBody;
    }

    /** Opens the stream; the caller checks {@link #status()} (the body is read only when it is 200). */
    public static SseClient open(Api api, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.base().resolve(pathAndQuery))
                .header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new SseClient(api.json(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static SseClient withToken(Api api, String token) {
        return open(api, "/api/sse", Map.of("Authorization", "Bearer " + token));
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The next event, waiting up to 10 seconds; fails the test if none comes. */
    public SseEvent next() {
        try {
            SseEvent event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("No event within 10 seconds (stream ended: " + ended.isDone() + ")");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Skips events until one named {@code name} comes. */
    public SseEvent next(String name) {
        while (true) {
            SseEvent event = next();
            if (name.equals(event.event())) {
                return event;
            }
        }
    }

    /** Events that arrive within {@code millis}. */
    public List<SseEvent> drain(long millis) {
        List<SseEvent> drained = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        try {
            SseEvent event;
            while ((event = events.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) != null) {
                drained.add(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    public Map<String, Object> data(SseEvent event) {
        try {
            return json.readValue(event.data(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON object: " + event.data(), e);
        }
    }

    public int comments() {
        return comments.get();
    }

    /** Waits until the server ends the stream; false if it is still open after the timeout. */
    public boolean awaitEnd(Duration timeout) {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (reader != null) {
            reader.interrupt();
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            Long retry = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new SseEvent(id, name == null ? "message" : name, data.toString(), retry));
                    }
                    id = null;
                    name = null;
                    retry = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.incrementAndGet();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "retry" -> retry = Long.parseLong(value);
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // the stream ended abruptly; ended below
        } finally {
            ended.complete(null);
        }
    }
}
