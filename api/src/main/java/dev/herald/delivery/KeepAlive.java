package dev.herald.delivery;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pings quiet connections, and closes and forgets those that stay silent or whose credential expired.
 * The transport's own close callback is not relied on: an abrupt disconnect may never report one.
 *
 * <p>A connection's next ping is due the ping interval after its last one plus a random share of a quarter
 * of the interval, drawn afresh each time ({@link #nextPingDelayNanos}), and the sweep runs often (every
 * second by default). So connections that opened together (every client reconnecting after a deploy) drift
 * apart, and each sweep pings a few of them: pinging a quarter of all connections in one sweep, each
 * answering at once, doubled the time a broadcast that met that sweep took to reach everyone (the
 * benchmarks' broadcast bursts, 2026-12-02). No connection is pinged more often than the interval.
 */
@Singleton
final class KeepAlive {

    private final ConnectionRegistry registry;
    private final DeliveryConfig config;

    KeepAlive(ConnectionRegistry registry, DeliveryConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** From a ping, or a connection's start, to the next ping: the interval and up to a quarter of it more. */
    static long nextPingDelayNanos(DeliveryConfig config) {
        long interval = config.pingInterval().toNanos();
        long spread = interval / 4;
        return interval + (spread > 0 ? ThreadLocalRandom.current().nextLong(spread) : 0);
    }

    @Scheduled(fixedDelay = "${herald.delivery.sweep-interval}", initialDelay = "${herald.delivery.sweep-interval}")
    void sweep() {
        long now = System.nanoTime();
        Instant wallClock = Instant.now();
        long pingInterval = config.pingInterval().toNanos();
        // Silent for the longest a ping may wait, and the pong timeout after it.
        long silenceLimit = pingInterval + pingInterval / 4 + config.pongTimeout().toNanos();
        registry.forEach(connection -> {
            if (connection.credentialExpired(wallClock)) {
                connection.close(CloseCodes.UNAUTHORIZED, "Token expired");
            } else if (connection.nanosSinceHeard(now) > silenceLimit) {
                connection.close(CloseCodes.GOING_AWAY, "No answer to ping");
            } else if (connection.pingDue(now) && connection.nanosSinceHeard(now) >= pingInterval) {
                connection.ping(now + nextPingDelayNanos(config));
            }
        });
    }
}
