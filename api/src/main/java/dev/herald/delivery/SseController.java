package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.Credentials;
import dev.herald.ops.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /api/sse}: the native messages as server-sent events, for browsers' EventSource and
 * anything else that only reads. Authenticated like the WebSocket (header, one-time ticket, or
 * {@code ?token=}) before the stream starts; a request without a valid credential gets 401 and no stream.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
final class SseController {

    private final Connections connections;
    private final Credentials credentials;
    private final ServerMessages messages;
    private final DeliveryConfig config;

    SseController(Connections connections, Credentials credentials, ServerMessages messages, DeliveryConfig config) {
        this.connections = connections;
        this.credentials = credentials;
        this.messages = messages;
        this.config = config;
    }

    @Operation(summary = "Live notifications as server-sent events",
            description = "Every event has id (the seq the client has everything up to), event (the message type) "
                    + "and JSON data. Resumes after Last-Event-ID (sent by EventSource when it reconnects) or ?since=.")
    @Get(uri = "/api/sse", produces = MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> stream(Authentication authentication,
                           @Nullable @Header("Last-Event-ID") String lastEventId,
                           @Nullable @QueryValue String since) {
        Credential credential = credentials.of(authentication)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unknown user"));
        // A reconnecting EventSource sends Last-Event-ID and repeats the URL it started with: the header is newer.
        Long resumeFrom = resumePoint(lastEventId != null && !lastEventId.isBlank() ? lastEventId : since,
                lastEventId != null && !lastEventId.isBlank() ? "Last-Event-ID" : "since");
        AtomicReference<Connection> opened = new AtomicReference<>();
        SseTransport transport = new SseTransport(messages, config.sseRetry(), () -> {
            Connection connection = opened.get();
            if (connection != null) {
                connection.transportClosed();
            }
        });
        opened.set(connections.open(transport, credential, resumeFrom));
        switch (transport.closedWith()) {
            case CloseCodes.TOO_MANY_CONNECTIONS ->
                    throw new HttpStatusException(HttpStatus.TOO_MANY_REQUESTS, "Too many connections for this user");
            case CloseCodes.GOING_AWAY ->
                    throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Server going away: reconnect");
            default -> {
            }
        }
        return HttpResponse.ok(transport.stream())
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no"); // nginx: pass events on as they come
    }

    private static Long resumePoint(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Long parsed = Connections.parseSince(value);
        if (parsed == null) {
            throw new InvalidRequestException(field, "must be a seq of 0 or more");
        }
        return parsed;
    }
}
