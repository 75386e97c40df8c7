package dev.herald.notification;

import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the next broadcast fail after a number of its chunks committed, the way a crash would: the
 * broadcast stops there, and what it stored so far stays stored.
 */
@Singleton
@Requires(property = "test.broadcast-crash", value = "true")
public class BroadcastCrash {

    private final AtomicInteger chunksLeft = new AtomicInteger(-1);

    /** The next publish fails after {@code chunks} committed chunks; once. */
    public void afterChunks(int chunks) {
        chunksLeft.set(chunks);
    }

    @EventListener
    void onPublished(NotificationsPublished event) {
        if (chunksLeft.get() > 0 && chunksLeft.decrementAndGet() == 0) {
            chunksLeft.set(-1);
            throw new IllegalStateException("Simulated crash after a committed broadcast chunk");
        }
    }
}
