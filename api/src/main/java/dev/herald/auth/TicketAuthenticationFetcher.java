package dev.herald.auth;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;

/**
 * Authenticates a stream request by its one-time {@code ?ticket=}, before the stream starts; not when an
 * {@code Authorization: Bearer} header is present, which is preferred and decides alone (see
 * {@link StreamCredentials}), so a bad header never spends the ticket.
 */
@Singleton
final class TicketAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    private final TicketStore tickets;
    private final ExecutorService blocking;

    TicketAuthenticationFetcher(TicketStore tickets, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.tickets = tickets;
        this.blocking = blocking;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        Optional<String> ticket = StreamTokenReader.STREAM_PATHS.contains(request.getPath())
                && !StreamCredentials.isBearer(request.getHeaders().getAuthorization().orElse(null))
                ? request.getParameters().getFirst("ticket").filter(StreamCredentials::present)
                : Optional.empty();
        if (ticket.isEmpty()) {
            return Publishers.empty();
        }
        // Redeeming is a database write: keep it off the event loop.
        return Publishers.fromCompletableFuture(() -> CompletableFuture
                .supplyAsync(() -> tickets.redeem(ticket.get()).orElse(null), blocking));
    }
}
