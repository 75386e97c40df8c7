package dev.herald.inventory;

import dev.herald.notification.PublishService;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Finds the products that expired or are about to, and sends each owner one {@code product_expiration}
 * and one {@code product_expiring} notification per product, however many nodes run the check at once
 * and however often.
 *
 * <p>How "exactly once" holds, and why it is built this way:
 * <ol>
 * <li>The guarantee is the notification table's unique key: every notice is published through
 *     {@link PublishService#publish} by the fixed publisher {@link InventoryNotices#HERALD} with the
 *     idempotency key {@code expiry:<productId>:expired} (or {@code :expiring}), and the insert is
 *     {@code ON CONFLICT DO NOTHING} on {@code (publisher_id, idempotency_key, user_id)}. A second publish of
 *     the same notice, from any node at any time, finds the first and returns it with
 *     {@code created == false}; it raises no event, so no device is shown it twice. No clock and no memory
 *     of this process is involved.</li>
 * <li>Publishing happens outside any transaction of ours. {@code publish} commits its own transaction and
 *     raises the after-commit event as it returns; inside an outer transaction it would join it, and the
 *     event would fire before the outer commit, so a device could be shown a notification that then rolls
 *     back. Here every notification is committed, alone, before anyone hears of it.</li>
 * <li>The work is shared out, not the guarantee: a short transaction claims a batch of due rows with
 *     {@code FOR UPDATE SKIP LOCKED}, stamping {@code claimed_until}, and commits. Concurrent checks skip
 *     locked and claimed rows, so they take disjoint batches and rarely even replay. After publishing, a
 *     second short transaction records the batch as done ({@code warned_at}/{@code expired_notified_at}),
 *     which takes the rows out of the partial due indexes.</li>
 * <li>A crash anywhere loses nothing and duplicates nothing. Before the claim commits: nothing happened.
 *     After the claim, before or between publishes: the claim lapses after {@code claim-timeout}, another run
 *     takes the rows, publishes (a replay for those already sent) and records them. After publishing but
 *     before recording: the same. If the product changed meanwhile (renamed, new date), the replay is a
 *     different request under the same key; {@code publish} answers 409, which means the notice was already
 *     sent, and the product is recorded as done.</li>
 * <li>A failure to publish (database down) releases the batch's remaining claims and fails the run; the
 *     next run takes them up again. An owner who no longer exists (404) needs no notice.</li>
 * </ol>
 * A product already expired at the check's instant gets only its expiration notice, and its warning is
 * recorded as done with it: a warning after the fact would be noise. A product added within the lead time
 * is warned at the next run.
 */
@Singleton
class ExpiryCheck {

    private final DueProducts due;
    private final PublishService notifications;
    private final InventoryConfig config;

    ExpiryCheck(DueProducts due, PublishService notifications, InventoryConfig config) {
        this.due = due;
        this.notifications = notifications;
        this.config = config;
    }

    /** What one run sent: notifications created, not counting replays of ones sent before. */
    @Serdeable
    record Summary(int warned, int expired, Instant checkedAt, long durationMs) {
    }

    private record Sent(int expired, int warned) {
    }

    /** Runs the check as of now. */
    Summary run() {
        return run(Instant.now());
    }

    /**
     * Runs the check as of the given instant: what has expired by then, and what expires within the lead
     * time. {@code check-workers} drains run side by side, each as any concurrent check would; for the
     * same instant the two windows do not overlap, so the order between them does not matter.
     */
    Summary run(Instant now) {
        long started = System.nanoTime();
        List<Future<Sent>> workers = new ArrayList<>();
        int warned = 0;
        int expired = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < config.checkWorkers(); i++) {
                workers.add(pool.submit(() -> new Sent(drain(ExpiryNotice.EXPIRED, now), drain(ExpiryNotice.EXPIRING, now))));
            }
            for (Future<Sent> worker : workers) {
                Sent sent = worker.get();
                expired += sent.expired();
                warned += sent.warned();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the expiry check", e);
        }
        return new Summary(warned, expired, now, (System.nanoTime() - started) / 1_000_000);
    }

    private int drain(ExpiryNotice kind, Instant now) {
        int sent = 0;
        List<DueProduct> batch;
        do {
            batch = due.claim(kind, now, config.warningLeadTime(), config.checkBatchSize(), config.claimTimeout());
            sent += notify(kind, batch);
        } while (batch.size() == config.checkBatchSize());
        return sent;
    }

    /** Publishes the batch's notices one by one, then records what was done and releases the rest. */
    private int notify(ExpiryNotice kind, List<DueProduct> batch) {
        int created = 0;
        List<Long> done = new ArrayList<>(batch.size());
        try {
            for (DueProduct product : batch) {
                if (publish(kind, product)) {
                    created++;
                }
                done.add(product.id());
            }
        } catch (RuntimeException failure) {
            try {
                settle(kind, batch, done);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // the claims lapse by themselves
            }
            throw failure;
        }
        settle(kind, batch, done);
        return created;
    }

    private void settle(ExpiryNotice kind, List<DueProduct> batch, List<Long> done) {
        due.done(kind, done);
        Set<Long> undone = new LinkedHashSet<>();
        batch.forEach(product -> undone.add(product.id()));
        done.forEach(undone::remove);
        due.release(undone);
    }

    /** True when this call created the notification; false when it existed already (or has no owner). */
    private boolean publish(ExpiryNotice kind, DueProduct product) {
        try {
            return notifications.publish(InventoryNotices.HERALD, InventoryNotices.of(kind, product),
                    kind.idempotencyKey(product.id())).created();
        } catch (HttpStatusException e) {
            if (e.getStatus() == HttpStatus.CONFLICT) {
                return false; // sent before, when the product read differently: it was sent, which is what counts
            }
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return false; // the owner is gone, and their products with them
            }
            throw e;
        }
    }
}
