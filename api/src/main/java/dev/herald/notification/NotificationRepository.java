package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for notifications. Every statement is scoped by the owner's user id. Callers hold the transaction
 * (see {@link NotificationService}).
 */
@Singleton
class NotificationRepository {

    private static final String COLUMNS =
            "id, user_id, seq, type, title, message, data, priority, tags, created_at, read_at";
    private static final Argument<Map<String, Object>> DATA_TYPE = Argument.mapOf(String.class, Object.class);

    private final JdbcOperations jdbc;
    private final JsonMapper json;

    NotificationRepository(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A notification about to be stored; {@code dataJson} is already encoded and size-checked. */
    record NewNotification(UUID id, long userId, String type, String title, String message, String dataJson,
                           int priority, List<String> tags, long publisherId, @Nullable String idempotencyKey,
                           @Nullable byte[] requestHash) {
    }

    /** What an idempotency key already names: the notification and the fingerprint of its request. */
    record KeyedNotification(Notification notification, byte[] requestHash) {
    }

    /**
     * Takes the user's next seq. The row lock this holds until commit makes concurrent publishers to the
     * same user wait their turn, which is what keeps seq gap-free and in commit order.
     */
    long nextSeq(long userId) {
        return jdbc.prepareStatement("""
                INSERT INTO notification_cursor (user_id, last_seq) VALUES (?, 1)
                ON CONFLICT (user_id) DO UPDATE SET last_seq = notification_cursor.last_seq + 1
                RETURNING last_seq""", ps -> {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Stores the notification; empty when its idempotency key is already taken (the caller rolls back). */
    Optional<Notification> insert(NewNotification n, long seq) {
        return jdbc.prepareStatement("""
                INSERT INTO notification (id, user_id, seq, type, title, message, data, priority, tags,
                                          publisher_id, idempotency_key, request_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
                ON CONFLICT (publisher_id, idempotency_key, user_id) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING\s""" + COLUMNS, ps -> {
            ps.setObject(1, n.id());
            ps.setLong(2, n.userId());
            ps.setLong(3, seq);
            ps.setString(4, n.type());
            ps.setString(5, n.title());
            ps.setString(6, n.message());
            ps.setString(7, n.dataJson());
            ps.setInt(8, n.priority());
            ps.setArray(9, ps.getConnection().createArrayOf("text", n.tags().toArray()));
            ps.setLong(10, n.publisherId());
            ps.setString(11, n.idempotencyKey());
            ps.setBytes(12, n.requestHash());
            return first(ps);
        });
    }

    Optional<KeyedNotification> findByIdempotencyKey(long publisherId, String key, long userId) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + ", request_hash FROM notification"
                + " WHERE publisher_id = ? AND idempotency_key = ? AND user_id = ?", ps -> {
            ps.setLong(1, publisherId);
            ps.setString(2, key);
            ps.setLong(3, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new KeyedNotification(map(rs), rs.getBytes("request_hash")))
                        : Optional.<KeyedNotification>empty();
            }
        });
    }

    Optional<Notification> find(long userId, UUID id) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM notification WHERE user_id = ? AND id = ?", ps -> {
            ps.setLong(1, userId);
            ps.setObject(2, id);
            return first(ps);
        });
    }

    /**
     * Up to {@code limit + 1} items of the slice, in the order the index is walked: descending seq, or
     * ascending when paging towards newer items. The extra item tells the caller whether more exist.
     */
    List<Notification> page(long userId, HistoryQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notification WHERE user_id = ?");
        List<Object> args = new ArrayList<>(List.of(userId));
        if (query.after() != null) {
            sql.append(" AND seq > ?");
            args.add(query.after());
        }
        if (query.before() != null) {
            sql.append(" AND seq < ?");
            args.add(query.before());
        }
        if (query.unreadOnly()) {
            sql.append(" AND read_at IS NULL");
        }
        if (query.type() != null) {
            sql.append(" AND type = ?");
            args.add(query.type());
        }
        sql.append(query.towardsNewer() ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ?");
        args.add(query.limit() + 1);
        return jdbc.prepareStatement(sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<Notification> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(map(rs));
                }
            }
            return items;
        });
    }

    long unreadCount(long userId) {
        return longQuery("SELECT count(*) FROM notification WHERE user_id = ? AND read_at IS NULL", userId);
    }

    /** The unread count and the cursor in one statement, so that both come from the same snapshot. */
    UnreadCount unreadCountAndCursor(long userId) {
        return jdbc.prepareStatement("""
                SELECT (SELECT count(*) FROM notification WHERE user_id = ? AND read_at IS NULL),
                       (SELECT coalesce(max(last_seq), 0) FROM notification_cursor WHERE user_id = ?)""", ps -> {
            ps.setLong(1, userId);
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new UnreadCount(rs.getLong(1), rs.getLong(2));
            }
        });
    }

    /** The user's cursor: the seq of the newest notification ever stored for them (0 for none). */
    long latestSeq(long userId) {
        return longQuery("SELECT coalesce(max(last_seq), 0) FROM notification_cursor WHERE user_id = ?", userId);
    }

    /** The cursors of the users that have one. */
    Map<Long, Long> latestSeqs(Collection<Long> userIds) {
        return jdbc.prepareStatement("SELECT user_id, last_seq FROM notification_cursor WHERE user_id = ANY (?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", userIds.toArray()));
            Map<Long, Long> cursors = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cursors.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return cursors;
        });
    }

    /** How many of the distinct ids belong to the user. */
    int countOwned(long userId, List<UUID> ids) {
        return jdbc.prepareStatement("SELECT count(*) FROM notification WHERE user_id = ? AND id = ANY (?)", ps -> {
            ps.setLong(1, userId);
            ps.setArray(2, ps.getConnection().createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Marks the user's unread notifications among the ids read; returns the ids that changed. */
    List<UUID> markRead(long userId, List<UUID> ids) {
        return jdbc.prepareStatement("""
                UPDATE notification SET read_at = now()
                WHERE user_id = ? AND id = ANY (?) AND read_at IS NULL
                RETURNING id""", ps -> {
            ps.setLong(1, userId);
            ps.setArray(2, ps.getConnection().createArrayOf("uuid", ids.toArray()));
            List<UUID> changed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changed.add(rs.getObject(1, UUID.class));
                }
            }
            return changed;
        });
    }

    /**
     * Marks all of the user's notifications read, up to the newest one this statement can see; one that
     * commits meanwhile has a higher seq and stays unread, so {@code upTo} is exact.
     */
    AllRead markAllRead(long userId) {
        return jdbc.prepareStatement("""
                WITH latest AS (SELECT coalesce(max(seq), 0) AS up_to FROM notification WHERE user_id = ?),
                     marked AS (UPDATE notification SET read_at = now()
                                WHERE user_id = ? AND read_at IS NULL AND seq <= (SELECT up_to FROM latest)
                                RETURNING 1)
                SELECT (SELECT up_to FROM latest), (SELECT count(*) FROM marked)""", ps -> {
            ps.setLong(1, userId);
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new AllRead(rs.getLong(1), rs.getInt(2));
            }
        });
    }

    boolean delete(long userId, UUID id) {
        return jdbc.prepareStatement("DELETE FROM notification WHERE user_id = ? AND id = ?", ps -> {
            ps.setLong(1, userId);
            ps.setObject(2, id);
            return ps.executeUpdate() == 1;
        });
    }

    private long longQuery(String sql, long userId) {
        return jdbc.prepareStatement(sql, ps -> {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private Optional<Notification> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private Notification map(ResultSet rs) throws SQLException {
        Timestamp readAt = rs.getTimestamp("read_at");
        return new Notification(
                rs.getObject("id", UUID.class),
                rs.getLong("user_id"),
                rs.getLong("seq"),
                rs.getString("type"),
                rs.getString("title"),
                rs.getString("message"),
                decode(rs.getString("data")),
                rs.getInt("priority"),
                List.of((String[]) rs.getArray("tags").getArray()),
                rs.getTimestamp("created_at").toInstant(),
                readAt == null ? null : readAt.toInstant());
    }

    private Map<String, Object> decode(String data) {
        try {
            return json.readValue(data, DATA_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored notification data is not JSON", e);
        }
    }
}
