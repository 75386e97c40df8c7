package dev.herald.notification;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishes this node is storing. A stopping node waits for them (up to {@code herald.publish.shutdown-grace})
 * before its connection pool closes: cut off, a publish would fail with its outcome unknown to its caller.
 * Shutdown listeners run before any bean is destroyed, so the pool is still there while this waits.
 */
@Singleton
final class PublishesInFlight implements ApplicationEventListener<ShutdownEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PublishesInFlight.class);

    private final PublishConfig config;
    private int running;

    PublishesInFlight(PublishConfig config) {
        this.config = config;
    }

    <T> T track(Supplier<T> publish) {
        synchronized (this) {
            running++;
        }
        try {
            return publish.get();
        } finally {
            synchronized (this) {
                if (--running == 0) {
                    notifyAll();
                }
            }
        }
    }

    @Override
    public synchronized void onApplicationEvent(ShutdownEvent event) {
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        try {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("Stopping with {} publish(es) still being stored", running);
                    return;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
