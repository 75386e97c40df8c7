package dev.herald.notification;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.herald.auth.UserDirectory;
import dev.herald.ops.InvalidRequestException;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one way into and out of the notification store: publishing, history and read state. Every event it
 * raises is raised after its transaction committed, so nothing is ever delivered that was not stored.
 */
@Singleton
public final class NotificationService {

    static final String NOT_FOUND = "Notification not found";
    static final int MAX_IDS_PER_REQUEST = 1000;
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final NotificationRepository notifications;
    private final UserDirectory users;
    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<Object> events;
    private final JsonMapper json;
    private final NotificationConfig config;

    NotificationService(NotificationRepository notifications, UserDirectory users,
                        TransactionOperations<Connection> transactions, ApplicationEventPublisher<Object> events,
                        JsonMapper json, NotificationConfig config) {
        this.notifications = notifications;
        this.users = users;
        this.transactions = transactions;
        this.events = events;
        this.json = json;
        this.config = config;
    }

    /** A publish outcome: the notification, and whether this call created it or replayed an earlier one. */
    public record PublishResult(Notification notification, boolean created) {
    }

    /**
     * Stores a notification for one user. With an idempotency key, a repeat of the same request returns the
     * notification the first one created, and a different request under the same key is refused with 409.
     */
    public PublishResult publish(long publisherId, PublishRequest request, @Nullable String idempotencyKey) {
        long recipient = recipientOf(request);
        String dataJson = encodeData(request.dataOrEmpty());
        if (request.tagsOrEmpty().size() > config.maxTags()) {
            throw new InvalidRequestException("tags", "must hold at most " + config.maxTags() + " tags");
        }
        byte[] fingerprint = idempotencyKey == null ? null : fingerprint(recipient, request);
        NotificationRepository.NewNotification draft = new NotificationRepository.NewNotification(
                IDS.generate(), recipient, request.type(), request.title(), request.messageOrEmpty(), dataJson,
                request.priorityOrDefault(), request.tagsOrEmpty(), publisherId, idempotencyKey, fingerprint);
        // A second attempt is needed only when a concurrent request with the same key committed between our
        // look-up and our insert; the retry then finds it and replays it.
        for (int attempt = 1; ; attempt++) {
            Optional<PublishResult> result = transactions.executeWrite(status -> {
                Optional<PublishResult> earlier = replayOf(publisherId, idempotencyKey, recipient, fingerprint);
                if (earlier.isPresent()) {
                    return earlier;
                }
                long seq = notifications.nextSeq(recipient);
                Optional<Notification> stored = notifications.insert(draft, seq);
                if (stored.isEmpty()) {
                    status.setRollbackOnly(); // give the seq back: per-user seq stays gap-free
                }
                return stored.map(notification -> new PublishResult(notification, true));
            });
            if (result.isPresent()) {
                if (result.get().created()) {
                    events.publishEvent(new NotificationPublished(result.get().notification()));
                }
                return result.get();
            }
            if (attempt == 2) {
                throw new IllegalStateException("Idempotency key " + idempotencyKey + " kept conflicting");
            }
        }
    }

    public Optional<Notification> find(long userId, UUID id) {
        return transactions.executeRead(status -> notifications.find(userId, id));
    }

    HistoryPage history(long userId, HistoryQuery query) {
        List<Notification> rows = transactions.executeRead(status -> notifications.page(userId, query));
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
        List<Notification> rows = transactions.executeRead(status ->
                notifications.page(userId, new HistoryQuery(afterSeq, null, limit, false, null)));
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    public UnreadCount unreadCount(long userId) {
        return transactions.executeRead(status -> notifications.unreadCountAndCursor(userId));
    }

    /** The seq of the newest notification stored for the user; a client that has it is up to date. */
    public long cursor(long userId) {
        return transactions.executeRead(status -> notifications.latestSeq(userId));
    }

    /** The cursors of many users at once (users with no notification yet are left out). */
    public Map<Long, Long> cursors(Collection<Long> userIds) {
        return transactions.executeRead(status -> notifications.latestSeqs(userIds));
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

    private Optional<PublishResult> replayOf(long publisherId, @Nullable String key, long recipient,
                                             byte[] fingerprint) {
        if (key == null) {
            return Optional.empty();
        }
        return notifications.findByIdempotencyKey(publisherId, key, recipient).map(earlier -> {
            if (!Arrays.equals(earlier.requestHash(), fingerprint)) {
                throw new HttpStatusException(HttpStatus.CONFLICT,
                        "This Idempotency-Key was already used with a different request");
            }
            return new PublishResult(earlier.notification(), false);
        });
    }

    private long recipientOf(PublishRequest request) {
        if ((request.userId() == null) == (request.username() == null)) {
            throw new InvalidRequestException("userId", "give exactly one of userId and username");
        }
        Optional<Long> id = request.userId() != null
                ? Optional.of(request.userId()).filter(users::exists)
                : users.idOf(request.username());
        return id.orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Recipient not found"));
    }

    private String encodeData(Map<String, Object> data) {
        try {
            String encoded = json.writeValueAsString(data);
            if (encoded.getBytes(StandardCharsets.UTF_8).length > config.maxDataBytes()) {
                throw new InvalidRequestException("data", "must be at most " + config.maxDataBytes() + " bytes of JSON");
            }
            return encoded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of the request in a canonical form (object keys sorted), to tell a replay from a conflict. */
    private byte[] fingerprint(long recipient, PublishRequest request) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("recipient", recipient);
        canonical.put("type", request.type());
        canonical.put("title", request.title());
        canonical.put("message", request.messageOrEmpty());
        canonical.put("data", sorted(request.dataOrEmpty()));
        canonical.put("priority", request.priorityOrDefault());
        canonical.put("tags", request.tagsOrEmpty());
        try {
            return MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(canonical));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), sorted(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(NotificationService::sorted).toList();
        }
        return value;
    }
}
