package dev.herald.notification;

import dev.herald.auth.Caller;
import dev.herald.auth.Roles;
import dev.herald.ops.InvalidRequestException;
import dev.herald.ops.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

@Controller("/api/notifications")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class NotificationController {

    private final NotificationService service;
    private final PublishService publishing;
    private final PublishLimits limits;
    private final NotificationConfig config;

    NotificationController(NotificationService service, PublishService publishing, PublishLimits limits,
                           NotificationConfig config) {
        this.service = service;
        this.publishing = publishing;
        this.limits = limits;
        this.config = config;
    }

    @Serdeable
    record MarkReadRequest(@NotNull List<@NotNull UUID> ids) {
    }

    /**
     * One user: 201 with the new notification, 200 with the earlier one when the Idempotency-Key replays a
     * request. Many users ({@code userIds}, {@code usernames}): each gets a notification of their own, and
     * the answer lists them. {@code "audience": "all"} (admins, with an Idempotency-Key): every user.
     */
    @Post
    @Secured({Roles.PUBLISHER, Roles.ADMIN})
    HttpResponse<?> publish(Caller caller, @Body PublishRequest request,
                            @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        // The same constraints as @Valid would check, checked directly: the busiest request skips the validator.
        List<Problem.FieldError> invalid = PublishRequestRules.violations(request, idempotencyKey);
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException(invalid);
        }
        String key = keyOf(request, idempotencyKey);
        if (request.isBroadcast()) {
            if (!caller.roles().contains(Roles.ADMIN)) {
                throw new HttpStatusException(HttpStatus.FORBIDDEN, "Only admins may broadcast to every user");
            }
            if (key == null) {
                throw new InvalidRequestException("Idempotency-Key", "a broadcast needs an Idempotency-Key: it is"
                        + " what makes running it again, after it was cut short, create only what is missing");
            }
            limits.admit(caller.userId(), 0);
            BroadcastResult result = publishing.broadcast(caller.userId(), request, key);
            return HttpResponse.status(result.created() > 0 ? HttpStatus.CREATED : HttpStatus.OK).body(result);
        }
        publishing.requireWithinCaps(List.of(request));
        limits.admit(caller.userId(), request.recipientCount());
        if (request.hasRecipientList()) {
            BulkPublishResult result = publishing.publishToMany(caller.userId(), request, key);
            return HttpResponse.status(result.created() > 0 ? HttpStatus.CREATED : HttpStatus.OK).body(result);
        }
        PublishService.PublishResult result = publishing.publish(caller.userId(), request, key);
        return HttpResponse.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.notification());
    }

    /**
     * Up to 1,000 publish requests in one transaction, all or nothing: 201 with each notification created or
     * replayed, in request order; 400 naming every bad item by index, with nothing stored.
     */
    @Post("/batch")
    @Secured({Roles.PUBLISHER, Roles.ADMIN})
    HttpResponse<BulkPublishResult> publishBatch(Caller caller, @Body List<PublishRequest> batch) {
        long notifications = publishing.requireWithinCaps(batch);
        limits.admit(caller.userId(), notifications);
        BulkPublishResult result = publishing.publishBatch(caller.userId(), batch);
        return HttpResponse.status(result.created() > 0 ? HttpStatus.CREATED : HttpStatus.OK).body(result);
    }

    /** The key from the header or, as in a batch item, from the body; the same if both. */
    private static @Nullable String keyOf(PublishRequest request, @Nullable String header) {
        if (header != null && request.idempotencyKey() != null && !header.equals(request.idempotencyKey())) {
            throw new InvalidRequestException("idempotencyKey", "differs from the Idempotency-Key header: give one");
        }
        return header != null ? header : request.idempotencyKey();
    }

    /** The caller's history, newest first, keyset-paged by seq. */
    @Get
    HistoryPage history(Caller caller,
                        @Nullable @QueryValue @PositiveOrZero Long after,
                        @Nullable @QueryValue @PositiveOrZero Long before,
                        @Nullable @QueryValue @Min(1) Integer limit,
                        @Nullable @QueryValue Boolean unread,
                        @Nullable @QueryValue @Size(max = 64) String type) {
        int size = Math.min(limit == null ? config.defaultPageSize() : limit, config.maxPageSize());
        return service.history(caller.userId(), new HistoryQuery(after, before, size, Boolean.TRUE.equals(unread), type));
    }

    @Get("/unread-count")
    UnreadCount unreadCount(Caller caller) {
        return service.unreadCount(caller.userId());
    }

    @Get("/{id}")
    Notification get(Caller caller, @PathVariable UUID id) {
        return service.find(caller.userId(), id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, NotificationService.NOT_FOUND));
    }

    @Post("/read")
    NotificationService.MarkReadResult markRead(Caller caller, @Body @Valid MarkReadRequest request) {
        return service.markRead(caller.userId(), request.ids());
    }

    @Post("/read-all")
    AllRead markAllRead(Caller caller) {
        return service.markAllRead(caller.userId());
    }

    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id) {
        service.delete(caller.userId(), id);
    }
}
