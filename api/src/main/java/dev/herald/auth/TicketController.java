package dev.herald.auth;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

@Controller("/api/ws/tickets")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class TicketController {

    private final TicketStore tickets;
    private final Credentials credentials;

    TicketController(TicketStore tickets, Credentials credentials) {
        this.tickets = tickets;
        this.credentials = credentials;
    }

    @Serdeable
    record Ticket(String ticket, long expiresIn) {
    }

    /** A ticket for {@code GET /ws?ticket=} or {@code GET /api/sse?ticket=}: one use, 30 seconds. */
    @Post
    HttpResponse<Ticket> issue(Authentication authentication) {
        Credential credential = credentials.of(authentication)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unknown user"));
        return HttpResponse.created(new Ticket(tickets.issue(credential), TicketStore.LIFETIME.toSeconds()));
    }
}
