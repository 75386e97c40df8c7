package dev.herald.delivery;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * Pings quiet connections, and closes and forgets those that stay silent or whose credential expired.
 * The transport's own close callback is not relied on: an abrupt disconnect may never report one.
 *
 * <p>Each connection is pinged a little sooner than the interval, by a share of a quarter of it that is its
 * own ({@link Connection#pingLeadNanos}), and the sweep runs often (every second by default): pinging a
 * quarter of all connections in one sweep, each answering at once, doubled the time a broadcast that met
 * that sweep took to reach everyone (the benchmarks' broadcast bursts, 2026-12-02).
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
        long spread = pingInterval / 4;
        registry.forEach(connection -> {
            long due = pingInterval - connection.pingLeadNanos(spread);
            if (connection.credentialExpired(wallClock)) {
                connection.close(CloseCodes.UNAUTHORIZED, "Token expired");
            } else if (connection.nanosSinceHeard(now) > silenceLimit) {
                connection.close(CloseCodes.GOING_AWAY, "No answer to ping");
            } else if (connection.nanosSinceHeard(now) >= due && connection.nanosSincePing(now) >= due) {
                connection.ping(now);
            }
        });
    }
}
