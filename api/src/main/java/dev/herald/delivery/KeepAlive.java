package dev.herald.delivery;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * Pings quiet connections, and closes and forgets those that stay silent or whose credential expired.
 * The transport's own close callback is not relied on: an abrupt disconnect may never report one.
 */
@Singleton
final class KeepAlive {

    private final ConnectionRegistry registry;
    private final DeliveryConfig config;

    KeepAlive(ConnectionRegistry registry, DeliveryConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Scheduled(fixedDelay = "${herald.delivery.sweep-interval}", initialDelay = "${herald.delivery.sweep-interval}")
    void sweep() {
        long now = System.nanoTime();
        Instant wallClock = Instant.now();
        long pingInterval = config.pingInterval().toNanos();
        long silenceLimit = pingInterval + config.pongTimeout().toNanos();
        registry.forEach(connection -> {
            if (connection.credentialExpired(wallClock)) {
                connection.close(CloseCodes.UNAUTHORIZED, "Token expired");
            } else if (connection.nanosSinceHeard(now) > silenceLimit) {
                connection.close(CloseCodes.GOING_AWAY, "No answer to ping");
            } else if (connection.nanosSinceHeard(now) >= pingInterval && connection.nanosSincePing(now) >= pingInterval) {
                connection.ping(now);
            }
        });
    }
}
