package dev.herald.notification;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.herald.auth.UserDirectory;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores drafts with one statement that reserves every user's seqs, inserts the rows and commits on its
 * own ({@link NotificationRepository#store}). A draft whose idempotency key already names a notification
 * with the same request is replayed; with another request it is a conflict. The event that starts delivery
 * is raised after the commit, once per store, so nothing is ever delivered that was not stored.
 */
@Singleton
final class NotificationWriter {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationWriter.class);
    static final String KEY_CONFLICT = "This Idempotency-Key was already used with a different request";
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final NotificationRepository notifications;
    private final UserDirectory users;
    private final ConnectionOperations<Connection> connections;
    private final ApplicationEventPublisher<Object> events;

    NotificationWriter(NotificationRepository notifications, UserDirectory users,
                       ConnectionOperations<Connection> connections, ApplicationEventPublisher<Object> events) {
        this.notifications = notifications;
        this.users = users;
        this.connections = connections;
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
        return storeGroup(List.of(new Unit(drafts, true))).getFirst();
    }

    /** Drafts stored all or nothing (a batch, a list of users) or each on its own (single publishes). */
    record Unit(List<Draft> drafts, boolean allOrNothing) {
    }

    /**
     * Stores several units with one statement, each with its own outcome, in unit order: what is stored
     * of one unit does not depend on another's conflicts or unknown users. Whoever publishes to the same
     * users through one statement, rather than through statements of their own at the same time, does not
     * wait on the others' cursor locks.
     */
    List<Outcomes> storeGroup(List<Unit> units) {
        Outcomes[] outcomes = new Outcomes[units.size()];
        List<Notification> created = new ArrayList<>();
        // Another round is needed when a concurrent request with one of our keys committed between our look-up
        // and our insert (the next finds that notification and replays it), or when a unit that needs every
        // user names one that does not exist (the next stores the other units).
        for (int keyRaces = 0; Arrays.asList(outcomes).contains(null); ) {
            if (!storeOnce(units, outcomes, created) && ++keyRaces == 3) {
                throw new IllegalStateException("Idempotency keys kept conflicting with concurrent requests");
            }
        }
        if (!created.isEmpty()) {
            announce(created);
        }
        return List.of(outcomes);
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

    /**
     * One round: settles the units it can, filling in their outcomes and adding what it created. False when
     * a concurrent request took one of the keys meanwhile (nothing was stored, no unit settled by the store).
     */
    private boolean storeOnce(List<Unit> units, Outcomes[] outcomes, List<Notification> created) {
        // A connection of its own, never a caller's transaction: the store commits by itself, before delivery.
        return connections.execute(ConnectionDefinition.REQUIRES_NEW, status -> {
            autoCommit(status.getConnection());
            List<NotificationRepository.KeyedRecipient> keyed = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                if (outcomes[u] == null) {
                    units.get(u).drafts().stream().map(Draft::keyed).filter(Objects::nonNull).forEach(keyed::add);
                }
            }
            Map<NotificationRepository.KeyedRecipient, NotificationRepository.KeyedNotification> earlier =
                    keyed.isEmpty() ? Map.of() : notifications.findKeyed(keyed);
            Map<Long, Integer> perUser = new HashMap<>();
            List<Planned> planned = new ArrayList<>();
            List<NotificationRepository.NewNotification> rows = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                if (outcomes[u] != null) {
                    continue;
                }
                Planned plan = Planned.of(u, units.get(u), earlier);
                if (plan.conflicts().isEmpty() || !plan.unit().allOrNothing()) {
                    for (int i : plan.fresh()) {
                        Draft draft = plan.unit().drafts().get(i);
                        rows.add(new NotificationRepository.NewNotification(IDS.generate(), draft.publisherId(),
                                draft.userId(), perUser.merge(draft.userId(), 1, Integer::sum), draft.content(),
                                draft.key(), draft.hash(), plan.unit().allOrNothing()));
                    }
                }
                planned.add(plan);
            }
            Map<UUID, NotificationRepository.Stored> stored;
            try {
                stored = rows.isEmpty() ? Map.of() : notifications.store(rows);
            } catch (RuntimeException e) {
                Optional<String> refusal = NotificationRepository.refusal(e);
                if (refusal.isEmpty()) {
                    throw e;
                }
                if (refusal.get().equals(NotificationRepository.USER_UNKNOWN)) {
                    return settleUnknownUsers(planned, outcomes);
                }
                return false;
            }
            int row = 0;
            for (Planned plan : planned) {
                if (!plan.conflicts().isEmpty() && plan.unit().allOrNothing()) {
                    outcomes[plan.position()] = plan.outcomes(List.of());
                    continue;
                }
                List<Integer> unknownUsers = new ArrayList<>();
                for (int i : plan.fresh()) {
                    NotificationRepository.NewNotification wanted = rows.get(row++);
                    NotificationRepository.Stored saved = stored.get(wanted.id());
                    if (saved == null) {
                        unknownUsers.add(i);
                    } else {
                        Notification notification = notificationOf(wanted, saved);
                        plan.results()[i] = new PublishService.PublishResult(notification, true);
                        created.add(notification);
                    }
                }
                outcomes[plan.position()] = plan.outcomes(unknownUsers);
            }
            return true;
        });
    }

    /**
     * The store was refused because an all-or-nothing unit names a user that does not exist: such units
     * are settled with nothing stored, and the next round stores the others.
     */
    private boolean settleUnknownUsers(List<Planned> planned, Outcomes[] outcomes) {
        Set<Long> named = new HashSet<>();
        planned.forEach(plan -> plan.fresh().forEach(i -> named.add(plan.unit().drafts().get(i).userId())));
        Set<Long> existing = users.existing(named);
        boolean settled = false;
        for (Planned plan : planned) {
            if (!plan.unit().allOrNothing() || !plan.conflicts().isEmpty()) {
                continue;
            }
            List<Integer> unknownUsers = plan.fresh().stream()
                    .filter(i -> !existing.contains(plan.unit().drafts().get(i).userId())).toList();
            if (!unknownUsers.isEmpty()) {
                outcomes[plan.position()] = plan.outcomes(unknownUsers);
                settled = true;
            }
        }
        return settled; // nobody settled (the user appeared meanwhile): counts as a race, the next round retries
    }

    /** A unit's drafts sorted by what their keys say: replayed (with their results), in conflict, or fresh. */
    private record Planned(int position, Unit unit, PublishService.PublishResult[] results, List<Integer> conflicts,
                           List<Integer> fresh) {

        static Planned of(int position, Unit unit,
                          Map<NotificationRepository.KeyedRecipient, NotificationRepository.KeyedNotification> earlier) {
            List<Draft> drafts = unit.drafts();
            PublishService.PublishResult[] results = new PublishService.PublishResult[drafts.size()];
            List<Integer> conflicts = new ArrayList<>();
            List<Integer> fresh = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                Draft draft = drafts.get(i);
                var found = draft.key() == null ? null : earlier.get(draft.keyed());
                if (found == null) {
                    fresh.add(i);
                } else if (Arrays.equals(found.requestHash(), draft.hash())) {
                    results[i] = new PublishService.PublishResult(found.notification(), false);
                } else {
                    conflicts.add(i);
                }
            }
            return new Planned(position, unit, results, conflicts, fresh);
        }

        Outcomes outcomes(List<Integer> unknownUsers) {
            return new Outcomes(Arrays.asList(results), conflicts, unknownUsers);
        }
    }

    /** The store's statement must commit by itself, whatever the pool's default (the pool restores it). */
    /** Puts a pooled connection in auto-commit: a statement on it then commits by itself (a topic's store too). */
    static void autoCommit(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataAccessException("Could not switch a connection to auto-commit", e);
        }
    }

    private static Notification notificationOf(NotificationRepository.NewNotification row,
                                               NotificationRepository.Stored stored) {
        Content content = row.content();
        return new Notification(row.id(), row.userId(), stored.seq(), content.type(), content.title(),
                content.message(), content.data(), content.priority(), content.tags(), stored.createdAt(), null);
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
