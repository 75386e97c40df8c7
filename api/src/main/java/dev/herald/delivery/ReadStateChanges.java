package dev.herald.delivery;

import dev.herald.notification.NotificationService;
import dev.herald.ops.InvalidRequestException;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Read-state changes asked for over a socket. They run off the socket's thread; their outcome reaches
 * every connection of the user through fan-out, and a failure only the connection that asked.
 */
@Singleton
final class ReadStateChanges {

    private final NotificationService notifications;
    private final ServerMessages messages;
    private final ExecutorService executor;

    ReadStateChanges(NotificationService notifications, ServerMessages messages,
                     @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.notifications = notifications;
        this.messages = messages;
        this.executor = executor;
    }

    /** Marks the caller's notifications read; an id of someone else's is "not found", like a missing one. */
    void markRead(Connection connection, List<UUID> ids) {
        executor.execute(() -> guarded(connection, () -> notifications.markRead(connection.userId(), ids)));
    }

    void markAllRead(Connection connection) {
        executor.execute(() -> guarded(connection, () -> notifications.markAllRead(connection.userId())));
    }

    private void guarded(Connection connection, Runnable change) {
        try {
            change.run();
        } catch (HttpStatusException e) {
            connection.send(messages.error(e.getStatus().getCode() == 404 ? "not_found" : "invalid_request",
                    e.getMessage()));
        } catch (InvalidRequestException e) {
            connection.send(messages.error("invalid_request", e.getMessage()));
        }
    }
}
