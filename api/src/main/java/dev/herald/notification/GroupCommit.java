package dev.herald.notification;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for single publishes. A transaction per notification, with its round trips and its commit,
 * is what caps the durable path under many concurrent publishers. So each caller queues its draft, and
 * whoever holds the writer lock stores everything queued (up to {@link #MAX_GROUP}) in one transaction
 * while the others wait; when it lets go, the next waiter stores what queued meanwhile, or finds its own
 * draft already stored. A publisher alone pays nothing: it is its own group of one. Each draft keeps its
 * own outcome: a conflicting idempotency key fails only its own request.
 */
@Singleton
final class GroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** Drafts per transaction: enough to amortise a commit, small enough to keep one transaction short. */
    static final int MAX_GROUP = 500;

    private record Pending(Draft draft, CompletableFuture<PublishService.PublishResult> outcome) {
    }

    private final NotificationWriter writer;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    GroupCommit(NotificationWriter writer) {
        this.writer = writer;
    }

    PublishService.PublishResult store(Draft draft) {
        Pending mine = new Pending(draft, new CompletableFuture<>());
        queue.add(mine);
        writing.lock();
        try {
            while (!mine.outcome().isDone()) {
                commit(drain());
            }
        } finally {
            writing.unlock();
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
        Pending next;
        while (group.size() < MAX_GROUP && (next = queue.poll()) != null) {
            group.add(next);
        }
        return group;
    }

    private void commit(List<Pending> group) {
        if (group.isEmpty()) {
            return;
        }
        // Two requests under one key for one user: the second must see the first's outcome (a replay), so it
        // goes in the next transaction.
        List<Pending> first = new ArrayList<>(group.size());
        List<Pending> repeats = new ArrayList<>();
        Set<NotificationRepository.KeyedRecipient> keys = new HashSet<>();
        for (Pending pending : group) {
            var keyed = pending.draft().keyed();
            (keyed == null || keys.add(keyed) ? first : repeats).add(pending);
        }
        try {
            NotificationWriter.Outcomes outcomes = writer.storeEach(first.stream().map(Pending::draft).toList());
            Set<Integer> conflicts = new HashSet<>(outcomes.conflicts());
            Set<Integer> unknownUsers = new HashSet<>(outcomes.unknownUsers());
            for (int i = 0; i < first.size(); i++) {
                if (conflicts.contains(i)) {
                    first.get(i).outcome().completeExceptionally(NotificationWriter.conflict(List.of(0)));
                } else if (unknownUsers.contains(i)) {
                    first.get(i).outcome().completeExceptionally(NotificationWriter.recipientNotFound());
                } else {
                    first.get(i).outcome().complete(outcomes.results().get(i));
                }
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
