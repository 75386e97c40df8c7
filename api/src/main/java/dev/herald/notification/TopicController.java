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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.UUID;

/** Topics over REST: publishing and retracting (publishers and admins) and each topic's history (every signed-in user). */
@Controller("/api/topics/{topic}/messages")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class TopicController {

    private final TopicService topics;
    private final PublishLimits limits;
    private final NotificationConfig config;

    TopicController(TopicService topics, PublishLimits limits, NotificationConfig config) {
        this.topics = topics;
        this.limits = limits;
        this.config = config;
    }

    /** 201 with the stored message; 200 with the earlier one when the Idempotency-Key replays a request. */
    @Post
    @Secured({Roles.PUBLISHER, Roles.ADMIN})
    HttpResponse<TopicMessage> publish(Caller caller, @PathVariable String topic, @Body TopicRequest request,
                                       @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        Content content = topics.check(topic, request, idempotencyKey); // bad input takes nothing from the limits
        limits.admit(caller.userId(), 1);
        TopicService.Published published = topics.publish(caller.userId(), topic, content, idempotencyKey);
        return HttpResponse.status(published.created() ? HttpStatus.CREATED : HttpStatus.OK).body(published.message());
    }

    /** Retracts a message: its publisher, or an admin. 204; 404 for one that is not there or not theirs. */
    @Delete("/{id}")
    @Secured({Roles.PUBLISHER, Roles.ADMIN})
    @Status(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable String topic, @PathVariable UUID id) {
        topics.delete(caller.userId(), caller.roles().contains(Roles.ADMIN), topic, id);
    }

    /** The topic's messages, newest first, keyset-paged by seq as a user's history is. */
    @Get
    TopicPage history(@PathVariable String topic,
                      @Nullable @QueryValue @PositiveOrZero Long after,
                      @Nullable @QueryValue @PositiveOrZero Long before,
                      @Nullable @QueryValue @Min(1) Integer limit) {
        int size = Math.min(limit == null ? config.defaultPageSize() : limit, config.maxPageSize());
        return topics.page(topic, after, before, size);
    }
}
