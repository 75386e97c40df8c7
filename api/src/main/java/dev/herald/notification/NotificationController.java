package dev.herald.notification;

import dev.herald.auth.Caller;
import dev.herald.auth.Roles;
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
    private final NotificationConfig config;

    NotificationController(NotificationService service, NotificationConfig config) {
        this.service = service;
        this.config = config;
    }

    @Serdeable
    record MarkReadRequest(@NotNull List<@NotNull UUID> ids) {
    }

    /** 201 with the new notification; 200 with the earlier one when the Idempotency-Key replays a request. */
    @Post
    @Secured({Roles.PUBLISHER, Roles.ADMIN})
    HttpResponse<Notification> publish(Caller caller, @Body @Valid PublishRequest request,
                                       @Nullable @Header("Idempotency-Key") @Size(min = 1, max = 200) String idempotencyKey) {
        NotificationService.PublishResult result = service.publish(caller.userId(), request, idempotencyKey);
        return HttpResponse.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.notification());
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
