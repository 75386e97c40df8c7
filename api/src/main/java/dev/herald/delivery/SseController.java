package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.Credentials;
import dev.herald.notification.TopicService;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/sse}: the native messages as server-sent events, for browsers' EventSource and
 * anything else that only reads. Authenticated like the WebSocket (header, one-time ticket, or
 * {@code ?token=}) before the stream starts; a request without a valid credential gets 401 and no stream.
 * {@code ?topic=} (repeatable) also subscribes the stream to those topics, resumed from the positions its
 * event ids carry, or from each topic's cursor when the stream opened.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
final class SseController {

    private static final Logger LOG = LoggerFactory.getLogger(SseController.class);

    private final Connections connections;
    private final Credentials credentials;
    private final ServerMessages messages;
    private final DeliveryConfig config;
    private final TopicService topicService;

    SseController(Connections connections, Credentials credentials, ServerMessages messages, DeliveryConfig config,
                  TopicService topicService) {
        this.connections = connections;
        this.credentials = credentials;
        this.messages = messages;
        this.config = config;
        this.topicService = topicService;
    }

    @Operation(summary = "Live notifications as server-sent events",
            description = "Every event has id (the seq the client has everything up to, then topic=seq for each "
                    + "topic read), event (the message type) and JSON data. Resumes after Last-Event-ID (sent by "
                    + "EventSource when it reconnects) or ?since=. ?topic= (repeatable) subscribes to topics too.")
    @Get(uri = "/api/sse", produces = MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> stream(Authentication authentication,
                           @Nullable @Header("Last-Event-ID") String lastEventId,
                           @Nullable @QueryValue String since,
                           @Nullable @QueryValue("topic") List<String> topic) {
        Credential credential = credentials.of(authentication)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unknown user"));
        Set<String> topics = topics(topic);
        // A reconnecting EventSource sends Last-Event-ID and repeats the URL it started with: the header is newer.
        StreamPosition resumeFrom = resumePoint(lastEventId != null && !lastEventId.isBlank() ? lastEventId : since,
                lastEventId != null && !lastEventId.isBlank() ? "Last-Event-ID" : "since");
        Optional<Map<String, Long>> topicPositions = topicPositions(topics, resumeFrom);
        AtomicReference<Connection> opened = new AtomicReference<>();
        SseTransport transport = new SseTransport(messages, config.sseRetry(), () -> {
            Connection connection = opened.get();
            if (connection != null) {
                connection.transportClosed();
            }
        }, topicPositions.orElse(Map.of()));
        if (topicPositions.isEmpty()) {
            // A stream that ends with its close event is reconnected by EventSource, with the Last-Event-ID it
            // had; a 500 or 503 answer would make it give up for good.
            transport.endBeforeStart(CloseCodes.INTERNAL_ERROR, "Could not read the topics' cursors: reconnect");
            return streaming(transport);
        }
        Connection connection = connections.open(transport, credential, resumeFrom == null ? null : resumeFrom.seq());
        opened.set(connection);
        switch (transport.closedWith()) {
            case CloseCodes.TOO_MANY_CONNECTIONS ->
                    throw new HttpStatusException(HttpStatus.TOO_MANY_REQUESTS, "Too many connections for this user");
            case CloseCodes.GOING_AWAY ->
                    throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Server going away: reconnect");
            default -> {
            }
        }
        topicPositions.get().forEach(connection::subscribe);
        return streaming(transport);
    }

    private static HttpResponse<?> streaming(SseTransport transport) {
        return HttpResponse.ok(transport.stream())
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no"); // nginx: pass events on as they come
    }

    private static StreamPosition resumePoint(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return StreamPosition.parse(value).orElseThrow(() -> new InvalidRequestException(field,
                "must be a seq of 0 or more, optionally followed by topic=seq pairs (an event id of this stream)"));
    }

    /**
     * Where each topic of the URL resumes: after the seq the client's position names (no further than the
     * topic's cursor: a client cannot be ahead of it), else after the topic's cursor now. Fixed before the
     * stream opens, rather than when the subscription is made, so that a stream that drops before its
     * {@code subscribed} resumes from here and misses nothing published meanwhile. Empty when the cursors
     * could not be read.
     */
    private Optional<Map<String, Long>> topicPositions(Set<String> topics, @Nullable StreamPosition resumeFrom) {
        if (topics.isEmpty()) {
            return Optional.of(Map.of());
        }
        Map<String, Long> cursors;
        try {
            cursors = topicService.cursors(topics);
        } catch (RuntimeException e) {
            // No stack trace: in an outage every client retries every few seconds, and the cause is all there is.
            LOG.warn("Could not read the cursors of topics {} for an event stream; it ends at once and the client "
                    + "reconnects: {}", topics, e.toString());
            return Optional.empty();
        }
        Map<String, Long> named = resumeFrom == null ? Map.of() : resumeFrom.topics();
        Map<String, Long> positions = new LinkedHashMap<>();
        for (String topic : topics) {
            long cursor = cursors.getOrDefault(topic, 0L);
            positions.put(topic, Math.min(named.getOrDefault(topic, cursor), cursor));
        }
        return Optional.of(positions);
    }

    private Set<String> topics(@Nullable List<String> names) {
        Set<String> topics = new LinkedHashSet<>();
        if (names != null) {
            for (String name : names) {
                TopicService.requireValidName(name);
                topics.add(name);
            }
        }
        if (topics.size() > config.maxSubscriptions()) {
            throw new InvalidRequestException("topic", "at most " + config.maxSubscriptions() + " topics per stream");
        }
        return topics;
    }
}
