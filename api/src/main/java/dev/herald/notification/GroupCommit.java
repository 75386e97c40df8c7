package dev.herald.notification;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. A statement per publish, each taking its users' cursor locks, is what caps the durable path
 * under many concurrent publishers: their statements wait on each other's locks. So each caller queues its
 * drafts (a single publish, or a batch stored all or nothing), and whoever holds one of the few writer
 * permits ({@code herald.publish.writers}) stores everything queued (up to {@link #MAX_GROUP} drafts) with
 * one statement while the others wait; when it lets go, the next waiter stores what queued meanwhile, or
 * finds its own drafts already stored. A publisher alone pays nothing: it is its own group of one. Each
 * caller keeps its own outcome: a conflicting idempotency key or an unknown user fails only its own request.
 */
@Singleton
final class GroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** Drafts per statement: enough to amortise a commit, small enough to keep one statement short. */
    static final int MAX_GROUP = 500;

    private record Pending(NotificationWriter.Unit unit, CompletableFuture<NotificationWriter.Outcomes> outcome) {
    }

    private final NotificationWriter writer;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore writing;

    GroupCommit(NotificationWriter writer, PublishConfig config) {
        this.writer = writer;
        this.writing = new Semaphore(config.writers());
    }

    /** One notification: its outcome, or 409 for a conflicting key, 404 for a user that does not exist. */
    PublishService.PublishResult store(Draft draft) {
        NotificationWriter.Outcomes outcomes = submit(new NotificationWriter.Unit(List.of(draft), false));
        if (!outcomes.conflicts().isEmpty()) {
            throw NotificationWriter.conflict(List.of(0));
        }
        if (!outcomes.unknownUsers().isEmpty()) {
            throw NotificationWriter.recipientNotFound();
        }
        return outcomes.results().getFirst();
    }

    /** All or nothing, telling why when nothing was stored (see {@link NotificationWriter#tryStoreAll}). */
    NotificationWriter.Outcomes storeAll(List<Draft> drafts) {
        return submit(new NotificationWriter.Unit(drafts, true));
    }

    private NotificationWriter.Outcomes submit(NotificationWriter.Unit unit) {
        Pending mine = new Pending(unit, new CompletableFuture<>());
        queue.add(mine);
        writing.acquireUninterruptibly();
        try {
            while (!mine.outcome().isDone()) {
                List<Pending> group = drain();
                if (group.isEmpty()) {
                    break; // the other writer took ours along: it completes it
                }
                commit(group);
            }
        } finally {
            writing.release();
        }
        try {
            return mine.outcome().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private List<Pending> drain() {
        List<Pending> group = new ArrayList<>();
        int drafts = 0;
        Pending next;
        while (drafts < MAX_GROUP && (next = queue.poll()) != null) {
            group.add(next);
            drafts += next.unit().drafts().size();
        }
        return group;
    }

    private void commit(List<Pending> group) {
        if (group.isEmpty()) {
            return;
        }
        // Two requests under one key for one user: the second must see the first's outcome (a replay), so it
        // goes in the next statement.
        List<Pending> first = new ArrayList<>(group.size());
        List<Pending> repeats = new ArrayList<>();
        Set<NotificationRepository.KeyedRecipient> keys = new HashSet<>();
        for (Pending pending : group) {
            List<NotificationRepository.KeyedRecipient> keyed = pending.unit().drafts().stream().map(Draft::keyed)
                    .filter(Objects::nonNull).toList();
            if (keyed.stream().anyMatch(keys::contains)) {
                repeats.add(pending);
            } else {
                keys.addAll(keyed);
                first.add(pending);
            }
        }
        try {
            List<NotificationWriter.Outcomes> outcomes = writer.storeGroup(first.stream().map(Pending::unit).toList());
            for (int i = 0; i < first.size(); i++) {
                first.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (RuntimeException e) {
            if (first.size() == 1) {
                first.getFirst().outcome().completeExceptionally(e);
            } else {
                // One bad draft (its user deleted meanwhile, say) must not fail the others: each on its own.
                LOG.debug("A group of {} publishes failed; storing each on its own", first.size(), e);
                first.forEach(pending -> commit(List.of(pending)));
            }
        }
        commit(repeats);
    }
}
