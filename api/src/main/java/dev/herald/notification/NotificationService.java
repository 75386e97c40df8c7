package dev.herald.notification;

import dev.herald.ops.InvalidRequestException;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * History and read state of the notification store ({@link PublishService} puts notifications in). Every
 * event it raises is raised after its transaction committed.
 */
@Singleton
public final class NotificationService {

    static final String NOT_FOUND = "Notification not found";
    static final int MAX_IDS_PER_REQUEST = 1000;

    private final NotificationRepository notifications;
    private final TransactionOperations<Connection> transactions;
    private final ConnectionOperations<Connection> connections;
    private final ApplicationEventPublisher<Object> events;

    NotificationService(NotificationRepository notifications, TransactionOperations<Connection> transactions,
                        ConnectionOperations<Connection> connections, ApplicationEventPublisher<Object> events) {
        this.notifications = notifications;
        this.transactions = transactions;
        this.connections = connections;
        this.events = events;
    }

    /**
     * Every read here is one statement, which PostgreSQL runs on a snapshot of its own: on a pooled
     * connection in auto-commit it needs no BEGIN and no COMMIT round trip, the busiest requests' overhead.
     */
    private <T> T read(Function<NotificationRepository, T> statement) {
        return connections.executeRead(status -> statement.apply(notifications));
    }

    public Optional<Notification> find(long userId, UUID id) {
        return read(repository -> repository.find(userId, id));
    }

    HistoryPage history(long userId, HistoryQuery query) {
        List<Notification> rows = read(repository -> repository.page(userId, query));
        boolean more = rows.size() > query.limit();
        List<Notification> items = new ArrayList<>(more ? rows.subList(0, query.limit()) : rows);
        if (query.towardsNewer()) {
            Collections.reverse(items);
        }
        Long nextCursor = null;
        if (more) {
            nextCursor = query.towardsNewer() ? items.getFirst().seq() : items.getLast().seq();
        }
        return new HistoryPage(items, nextCursor);
    }

    /** Up to {@code limit} of the user's notifications with seq greater than {@code afterSeq}, oldest first. */
    public List<Notification> since(long userId, long afterSeq, int limit) {
        List<Notification> rows = read(repository ->
                repository.page(userId, new HistoryQuery(afterSeq, null, limit, false, null)));
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    public UnreadCount unreadCount(long userId) {
        return read(repository -> repository.unreadCountAndCursor(userId));
    }

    /** The seq of the newest notification stored for the user; a client that has it is up to date. */
    public long cursor(long userId) {
        return read(repository -> repository.latestSeq(userId));
    }

    /** The ids of the given users' notifications read at or after {@code since} (any device, any node), per user. */
    public Map<Long, List<UUID>> readSince(Collection<Long> userIds, Instant since) {
        return read(repository -> repository.readSince(userIds, since));
    }

    /** The cursors of many users at once (users with no notification yet are left out). */
    public Map<Long, Long> cursors(Collection<Long> userIds) {
        return read(repository -> repository.latestSeqs(userIds));
    }

    /** The outcome of marking read: the ids that were unread before, and how many remain unread. */
    @Serdeable
    public record MarkReadResult(List<UUID> ids, long unreadCount) {
    }

    /**
     * Marks the user's notifications read. If any id is not one of the user's, nothing changes and the
     * answer is 404, the same as for an id that exists nowhere.
     */
    public MarkReadResult markRead(long userId, List<UUID> ids) {
        List<UUID> distinct = ids.stream().distinct().toList();
        if (distinct.isEmpty() || distinct.size() > MAX_IDS_PER_REQUEST) {
            throw new InvalidRequestException("ids", "must hold 1 to " + MAX_IDS_PER_REQUEST + " ids");
        }
        MarkReadResult result = transactions.executeWrite(status -> {
            if (notifications.countOwned(userId, distinct) != distinct.size()) {
                throw new HttpStatusException(HttpStatus.NOT_FOUND, NOT_FOUND);
            }
            List<UUID> changed = notifications.markRead(userId, distinct);
            return new MarkReadResult(changed, notifications.unreadCount(userId));
        });
        if (!result.ids().isEmpty()) {
            events.publishEvent(new NotificationsRead(userId, result.ids()));
        }
        return result;
    }

    public AllRead markAllRead(long userId) {
        AllRead result = transactions.executeWrite(status -> notifications.markAllRead(userId));
        if (result.updated() > 0) {
            events.publishEvent(new AllNotificationsRead(userId, result.upTo()));
        }
        return result;
    }

    public void delete(long userId, UUID id) {
        if (!transactions.executeWrite(status -> notifications.delete(userId, id))) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, NOT_FOUND);
        }
    }
}
