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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/notifications/poll?since=N&wait=30s}: for clients that can hold neither a WebSocket
 * nor a stream. It is a connection like the others for as long as it waits (same registry, same
 * ordering and gap handling), so it answers at once when anything after {@code since} is stored, else
 * when the next notification arrives, else with an empty list when the wait ends. No thread waits.
 * {@code GET /api/topics/{topic}/messages/poll} does the same for a topic's messages.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
final class LongPollController {

    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s|m)?");
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final int DEFAULT_LIMIT = 100;

    private final Connections connections;
    private final Credentials credentials;
    private final DeliveryConfig config;
    private final TaskScheduler scheduler;

    LongPollController(Connections connections, Credentials credentials, DeliveryConfig config,
                       @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.connections = connections;
        this.credentials = credentials;
        this.config = config;
        this.scheduler = scheduler;
    }

    @Operation(summary = "Long-poll for notifications after a seq",
            description = "Answers {\"items\": [...] (oldest first), \"cursor\": seq to poll from next}. wait is "
                    + "30s, 1500ms, 2m or seconds, capped at herald.delivery.max-poll-wait; limit is 1 to the "
                    + "replay batch size (100 by default). Without since it waits for the next notification.")
    @Get(uri = "/api/notifications/poll", produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    CompletableFuture<HttpResponse<String>> poll(Authentication authentication,
                                                 @Nullable @QueryValue String since,
                                                 @Nullable @QueryValue String wait,
                                                 @Nullable @QueryValue String limit) {
        Long from = parseSince(since);
        Duration waitFor = parseWait(wait);
        int max = parseLimit(limit);
        PollTransport transport = PollTransport.ofNotifications(max, from != null);
        Connection connection = open(transport, authentication, from);
        return answer(transport, connection, waitFor, from);
    }

    @Operation(summary = "Long-poll for a topic's messages after a seq",
            description = "As /api/notifications/poll, with the topic's messages and the topic's seq: "
                    + "{\"items\": [...] (oldest first), \"cursor\": topic seq to poll from next}.")
    @Get(uri = "/api/topics/{topic}/messages/poll", produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    CompletableFuture<HttpResponse<String>> pollTopic(Authentication authentication,
                                                      String topic,
                                                      @Nullable @QueryValue String since,
                                                      @Nullable @QueryValue String wait,
                                                      @Nullable @QueryValue String limit) {
        TopicService.requireValidName(topic);
        Long from = parseSince(since);
        Duration waitFor = parseWait(wait);
        int max = parseLimit(limit);
        PollTransport transport = PollTransport.ofTopic(max, topic);
        Connection connection = open(transport, authentication, null);
        connection.subscribe(topic, from);
        return answer(transport, connection, waitFor, from);
    }

    /** A connection for the poll, registered like any other; 429 or 503 when it is refused. */
    private Connection open(PollTransport transport, Authentication authentication, @Nullable Long since) {
        Credential credential = credentials.of(authentication)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unknown user"));
        Connection connection = connections.open(transport, credential, since);
        switch (transport.closedWith()) {
            case CloseCodes.TOO_MANY_CONNECTIONS ->
                    throw new HttpStatusException(HttpStatus.TOO_MANY_REQUESTS, "Too many connections for this user");
            case CloseCodes.GOING_AWAY ->
                    throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Server going away: poll again");
            default -> {
            }
        }
        return connection;
    }

    /** Answers when the transport has its answer or the wait ends, and closes the connection. */
    private CompletableFuture<HttpResponse<String>> answer(PollTransport transport, Connection connection,
                                                           Duration waitFor, @Nullable Long since) {
        ScheduledFuture<?> timeout = scheduler.schedule(waitFor, transport::timeUp);
        long sinceOrNone = since == null ? -1 : since;
        return transport.answer().thenApply(answer -> {
            timeout.cancel(false);
            connection.close(CloseCodes.NORMAL, "Answered");
            if (answer.cursor() < 0 && sinceOrNone < 0) {
                // Closed before the cursor was read (the database failed, or the server is stopping): there is
                // no cursor to give, and 0 would make the client take its whole history as new.
                throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Could not read your cursor: poll again");
            }
            long cursor = answer.cursor() >= 0 ? answer.cursor() : sinceOrNone;
            String body = "{\"items\":[" + String.join(",", answer.items()) + "],\"cursor\":" + cursor + "}";
            return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        });
    }

    private static @Nullable Long parseSince(@Nullable String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        Long from = Connections.parseSince(since);
        if (from == null) {
            throw new InvalidRequestException("since", "must be a seq of 0 or more");
        }
        return from;
    }

    private Duration parseWait(@Nullable String wait) {
        if (wait == null || wait.isBlank()) {
            return min(DEFAULT_WAIT, config.maxPollWait());
        }
        Duration parsed;
        Matcher matcher = WAIT.matcher(wait.strip());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            parsed = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
        } else {
            try {
                parsed = Duration.parse(wait.strip());
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("wait", "must be a duration such as 30s, 1500ms or 2m");
            }
            if (parsed.isNegative()) {
                throw new InvalidRequestException("wait", "must not be negative");
            }
        }
        return min(parsed, config.maxPollWait());
    }

    private int parseLimit(@Nullable String limit) {
        if (limit == null || limit.isBlank()) {
            return Math.min(DEFAULT_LIMIT, config.replayBatchSize());
        }
        try {
            int parsed = Integer.parseInt(limit.strip());
            if (parsed >= 1 && parsed <= config.replayBatchSize()) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException("limit", "must be between 1 and " + config.replayBatchSize());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
