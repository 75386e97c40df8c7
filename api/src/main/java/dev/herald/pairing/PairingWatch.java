package dev.herald.pairing;

import dev.herald.ops.EventStream;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the pairings listened to on this node against the database, one query for all: a scan that
 * reached another replica is handed over here within a check interval, and a pairing that expired unscanned
 * ends its stream with {@code expired}. Also keeps idle streams alive through proxies.
 *
 * <p>Scheduled by hand rather than with {@code @Scheduled}, whose runs look the bean up each time and log
 * an error when one falls into shutdown; at these short intervals one often would.
 */
@Singleton
final class PairingWatch {

    private static final Logger LOG = LoggerFactory.getLogger(PairingWatch.class);

    private final PairingStreams streams;
    private final PairingStore store;
    private final SessionHandover handover;
    private final PairingEvents events;
    private final TaskScheduler scheduler;
    private final PairingConfig config;
    private volatile List<ScheduledFuture<?>> runs = List.of();

    PairingWatch(PairingStreams streams, PairingStore store, SessionHandover handover, PairingEvents events,
                 @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler, PairingConfig config) {
        this.streams = streams;
        this.store = store;
        this.handover = handover;
        this.events = events;
        this.scheduler = scheduler;
        this.config = config;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        runs = List.of(
                scheduler.scheduleWithFixedDelay(config.checkInterval(), config.checkInterval(), this::check),
                scheduler.scheduleWithFixedDelay(config.heartbeatInterval(), config.heartbeatInterval(), this::heartbeat));
    }

    @PreDestroy
    void stop() {
        runs.forEach(run -> run.cancel(false));
    }

    void check() {
        Map<UUID, EventStream> open = streams.snapshot();
        if (open.isEmpty()) {
            return;
        }
        // Nothing may escape: a scheduled run that throws is never run again.
        try {
            Map<UUID, PairingStore.Status> statuses = store.statusOf(open.keySet());
            open.forEach((id, stream) -> {
                PairingStore.Status status = statuses.get(id);
                if (status == null || status.expired()) {
                    // A pairing is deleted only after it expired.
                    streams.whileOpen(id, stream, () -> streams.end(id, stream, events.expired(id)));
                } else if (status.completed()) {
                    // Another stream of the same pairing, on another node, took the session.
                    streams.whileOpen(id, stream, () -> streams.end(id, stream, null));
                } else if (status.claimed()) {
                    handover.handOver(id, stream);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not check {} pairing(s); will retry", open.size(), e);
        }
    }

    void heartbeat() {
        streams.snapshot().values().forEach(stream -> stream.send(EventStream.HEARTBEAT));
    }
}
