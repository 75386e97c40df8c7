package dev.herald.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/** This node's live connections, as gauges read at each scrape. */
@Singleton
final class ConnectionMeters implements MeterBinder {

    private final ConnectionRegistry registry;

    ConnectionMeters(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("herald.connections", registry, ConnectionRegistry::connectionCount)
                .description("Open connections on this node (WebSocket, SSE, long-poll)").register(meters);
        Gauge.builder("herald.connected.users", registry, ConnectionRegistry::userCount)
                .description("Users with at least one open connection on this node").register(meters);
    }
}
