package dev.herald.notification;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores drafts in one transaction: one statement reserves every user's seqs, one multi-row insert stores
 * the rows. A draft whose idempotency key already names a notification with the same request is replayed;
 * with another request it is a conflict. The event that starts delivery is raised after the commit, once per
 * transaction, so nothing is ever delivered that was not stored.
 */
@Singleton
final class NotificationWriter {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationWriter.class);
    static final String KEY_CONFLICT = "This Idempotency-Key was already used with a different request";
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final NotificationRepository notifications;
    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<Object> events;

    NotificationWriter(NotificationRepository notifications, TransactionOperations<Connection> transactions,
                       ApplicationEventPublisher<Object> events) {
        this.notifications = notifications;
        this.transactions = transactions;
        this.events = events;
    }

    /**
     * What became of each draft, in draft order: its outcome, or null where its key conflicts or its user
     * does not exist (then {@code conflicts} or {@code unknownUsers} holds its position among the drafts).
     */
    record Outcomes(List<PublishService.PublishResult> results, List<Integer> conflicts, List<Integer> unknownUsers) {

        /** Whether every draft was stored or replayed. */
        boolean complete() {
            return conflicts.isEmpty() && unknownUsers.isEmpty();
        }

        /** Why an all-or-nothing store stored nothing: 409 naming the drafts' request indexes, else 404. */
        HttpStatusException failure(List<Draft> drafts) {
            return conflicts.isEmpty() ? recipientNotFound()
                    : conflict(conflicts.stream().map(i -> drafts.get(i).index()).distinct().toList());
        }
    }

    /**
     * All or nothing: any conflict, and the answer is 409 naming the drafts' request indexes; a user that
     * does not exist (deleted since the caller looked), 404; either way nothing is stored.
     */
    List<PublishService.PublishResult> storeAll(List<Draft> drafts) {
        Outcomes outcomes = tryStoreAll(drafts);
        if (!outcomes.complete()) {
            throw outcomes.failure(drafts);
        }
        return outcomes.results();
    }

    /** All or nothing, telling why when nothing was stored ({@link Outcomes#complete()} false). */
    Outcomes tryStoreAll(List<Draft> drafts) {
        return store(drafts, true);
    }

    /** Each on its own: drafts whose key conflicts or whose user does not exist are left out, the others stored. */
    Outcomes storeEach(List<Draft> drafts) {
        return store(drafts, false);
    }

    private Outcomes store(List<Draft> drafts, boolean allOrNothing) {
        // A second attempt is needed only when a concurrent request with one of our keys committed between
        // our look-up and our insert; the retry then finds that notification and replays it.
        for (int attempt = 1; ; attempt++) {
            Optional<Outcomes> outcome = transactions.executeWrite(status -> {
                Optional<Outcomes> stored = storeOnce(drafts, allOrNothing);
                if (stored.isEmpty() || allOrNothing && !stored.get().unknownUsers().isEmpty()) {
                    status.setRollbackOnly(); // gives the reserved seqs back: per-user seq stays gap-free
                }
                return stored;
            });
            if (outcome.isPresent()) {
                List<Notification> created = outcome.get().results().stream()
                        .filter(result -> result != null && result.created())
                        .map(PublishService.PublishResult::notification).toList();
                if (!created.isEmpty()) {
                    announce(created);
                }
                return outcome.get();
            }
            if (attempt == 3) {
                throw new IllegalStateException("Idempotency keys kept conflicting with concurrent requests");
            }
        }
    }

    /**
     * Starts delivery. The notifications are stored whatever happens here: failing the request now would
     * make a publisher without a key publish them again, and a connection that missed them catches up from
     * the database (on resume, and on the fan-out's periodic catch-up).
     */
    private void announce(List<Notification> created) {
        try {
            events.publishEvent(new NotificationsPublished(created));
        } catch (RuntimeException e) {
            LOG.warn("Delivery of {} stored notifications failed; clients catch up from the database", created.size(), e);
        }
    }

    private Optional<Outcomes> storeOnce(List<Draft> drafts, boolean allOrNothing) {
        List<NotificationRepository.KeyedRecipient> keyed = drafts.stream().map(Draft::keyed)
                .filter(Objects::nonNull).toList();
        Map<NotificationRepository.KeyedRecipient, NotificationRepository.KeyedNotification> earlier =
                keyed.isEmpty() ? Map.of() : notifications.findKeyed(keyed);
        PublishService.PublishResult[] results = new PublishService.PublishResult[drafts.size()];
        boolean[] skipped = new boolean[drafts.size()];
        List<Integer> conflicts = new ArrayList<>();
        Map<Long, Integer> newPerUser = new LinkedHashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            var found = draft.key() == null ? null : earlier.get(draft.keyed());
            if (found == null) {
                newPerUser.merge(draft.userId(), 1, Integer::sum);
            } else if (Arrays.equals(found.requestHash(), draft.hash())) {
                results[i] = new PublishService.PublishResult(found.notification(), false);
                skipped[i] = true;
            } else {
                conflicts.add(i);
                skipped[i] = true;
            }
        }
        if (!conflicts.isEmpty() && allOrNothing || newPerUser.isEmpty()) {
            return Optional.of(new Outcomes(Arrays.asList(results), conflicts, List.of()));
        }
        Map<Long, Long> lastSeq = notifications.reserveSeqs(newPerUser);
        List<Integer> unknownUsers = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            if (!skipped[i] && !lastSeq.containsKey(drafts.get(i).userId())) {
                unknownUsers.add(i);
                skipped[i] = true;
            }
        }
        if (!unknownUsers.isEmpty() && allOrNothing) {
            return Optional.of(new Outcomes(Arrays.asList(results), conflicts, unknownUsers));
        }
        Map<Long, Long> nextSeq = new HashMap<>(lastSeq.size() * 2);
        lastSeq.forEach((user, last) -> nextSeq.put(user, last - newPerUser.get(user) + 1));
        List<NotificationRepository.NewNotification> rows = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            if (!skipped[i]) {
                Draft draft = drafts.get(i);
                long seq = nextSeq.merge(draft.userId(), 1L, Long::sum) - 1;
                rows.add(new NotificationRepository.NewNotification(IDS.generate(), draft.publisherId(),
                        draft.userId(), seq, draft.content(), draft.key(), draft.hash()));
            }
        }
        Map<UUID, Instant> inserted = rows.isEmpty() ? Map.of() : notifications.insertAll(rows);
        if (inserted.size() != rows.size()) {
            return Optional.empty();
        }
        int row = 0;
        for (int i = 0; i < results.length; i++) {
            if (!skipped[i]) {
                NotificationRepository.NewNotification stored = rows.get(row++);
                results[i] = new PublishService.PublishResult(notificationOf(stored, inserted.get(stored.id())), true);
            }
        }
        return Optional.of(new Outcomes(Arrays.asList(results), conflicts, unknownUsers));
    }

    private static Notification notificationOf(NotificationRepository.NewNotification row, Instant createdAt) {
        Content content = row.content();
        return new Notification(row.id(), row.userId(), row.seq(), content.type(), content.title(), content.message(),
                content.data(), content.priority(), content.tags(), createdAt, null);
    }

    static HttpStatusException recipientNotFound() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, PublishService.RECIPIENT_NOT_FOUND);
    }

    static HttpStatusException conflict(List<Integer> indexes) {
        if (indexes.size() == 1 && indexes.getFirst() == 0) {
            return new HttpStatusException(HttpStatus.CONFLICT, KEY_CONFLICT);
        }
        return new HttpStatusException(HttpStatus.CONFLICT, "Idempotency keys already used with a different request"
                + " (items " + indexes.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + "): nothing was stored");
    }
}
