package dev.herald.notification;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;

/**
 * Notifications this node stored, counted as each store commits. Counted whether or not a meter registry
 * exists yet (it is made on first use), and read by the registry at each scrape.
 */
@Singleton
final class NotificationMeters implements MeterBinder {

    private final LongAdder stored = new LongAdder();

    @EventListener
    void onPublished(NotificationsPublished event) {
        stored.add(event.notifications().size());
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        FunctionCounter.builder("herald.notifications.stored", stored, LongAdder::sum)
                .description("Notifications stored by this node").register(meters);
    }
}
