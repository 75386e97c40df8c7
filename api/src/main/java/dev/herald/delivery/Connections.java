package dev.herald.delivery;

import dev.herald.auth.Credential;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Opens connections for the transports and, when the node shuts down, closes them all with 1001 once
 * what was queued for them is flushed. That runs first among shutdown listeners, while the server still
 * writes: closing the sockets before would leave clients with an abnormal close and no hint to move.
 */
@Singleton
final class Connections implements ApplicationEventListener<ShutdownEvent>, Ordered {

    private final ConnectionContext context;
    private volatile boolean shuttingDown;

    Connections(ConnectionContext context) {
        this.context = context;
    }

    /**
     * Registers a connection and starts it (from {@code since} when given). Refused with 4029 when the
     * user has too many, and with 1001 once shutdown began.
     */
    Connection open(Transport transport, Credential credential, Long since) {
        Connection connection = new Connection(UUID.randomUUID(), credential.caller().userId(),
                credential.expiresAt(), transport, context);
        if (shuttingDown) {
            connection.close(CloseCodes.GOING_AWAY, "Server going away");
        } else if (!context.registry().register(connection, context.config().maxConnectionsPerUser())) {
            connection.close(CloseCodes.TOO_MANY_CONNECTIONS, "Too many connections for this user");
        } else if (shuttingDown) {
            // Shutdown began between the check above and the registration, and its sweep of the registry
            // may have missed this connection: without this it would be cut off unannounced (1006).
            connection.close(CloseCodes.GOING_AWAY, "Server going away");
        } else {
            connection.start(since);
        }
        return connection;
    }

    /** A client's resume point ({@code since}, {@code Last-Event-ID}): a seq of 0 or more, else null. */
    static Long parseSince(String value) {
        try {
            long since = Long.parseLong(value.strip());
            return since >= 0 ? since : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        shuttingDown = true;
        List<Connection> open = new ArrayList<>();
        context.registry().forEach(open::add);
        open.forEach(connection -> connection.closeAfterFlush(CloseCodes.GOING_AWAY, "Server going away"));
        long deadline = System.nanoTime() + context.config().shutdownGrace().toNanos();
        while (open.stream().anyMatch(Connection::transportOpen) && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        open.forEach(connection -> connection.close(CloseCodes.GOING_AWAY, "Server going away"));
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
