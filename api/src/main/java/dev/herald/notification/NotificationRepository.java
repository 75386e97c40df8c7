package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
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

    private final JdbcOperations jdbc;
    private final JsonMapper json;

    NotificationRepository(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A notification about to be stored, its seq already reserved. */
    record NewNotification(UUID id, long publisherId, long userId, long seq, Content content,
                           @Nullable String idempotencyKey, @Nullable byte[] requestHash) {
    }

    /** One recipient under one publisher's idempotency key: names at most one notification. */
    record KeyedRecipient(long publisherId, String key, long userId) {
    }

    /** What an idempotency key already names: the notification and the fingerprint of its request. */
    record KeyedNotification(Notification notification, byte[] requestHash) {
    }

    /**
     * Takes the next {@code count} seqs of each user and returns each user's new last seq; the user's seqs
     * are {@code last - count + 1 .. last}. The row locks this holds until commit make concurrent publishers
     * to the same user wait their turn, which keeps seq gap-free and in commit order; taking them in user id
     * order keeps two bulk publishes from deadlocking each other. A user id that names no user is left out
     * of the answer: checking here costs no query of its own.
     */
    Map<Long, Long> reserveSeqs(Map<Long, Integer> counts) {
        Long[] users = counts.keySet().stream().sorted().toArray(Long[]::new);
        Long[] amounts = new Long[users.length];
        for (int i = 0; i < users.length; i++) {
            amounts[i] = (long) counts.get(users[i]);
        }
        return jdbc.prepareStatement("""
                INSERT INTO notification_cursor (user_id, last_seq)
                SELECT r.user_id, r.amount FROM unnest(?::int8[], ?::int8[]) AS r(user_id, amount)
                JOIN app_user u ON u.id = r.user_id
                ORDER BY r.user_id
                ON CONFLICT (user_id) DO UPDATE SET last_seq = notification_cursor.last_seq + excluded.last_seq
                RETURNING user_id, last_seq""", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("int8", users));
            ps.setArray(2, ps.getConnection().createArrayOf("int8", amounts));
            Map<Long, Long> last = new HashMap<>(users.length * 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return last;
        });
    }

    /**
     * Stores the notifications with one multi-row insert; each distinct content is sent to the database
     * once however many recipients share it. Returns the creation time of each stored id: a notification
     * whose idempotency key is already taken (by a concurrent request) is left out, and the caller rolls back.
     */
    Map<UUID, Instant> insertAll(List<NewNotification> rows) {
        Map<Content, Integer> contentIndex = new IdentityHashMap<>();
        List<Content> contents = new ArrayList<>();
        int n = rows.size();
        UUID[] ids = new UUID[n];
        Long[] publishers = new Long[n];
        Long[] users = new Long[n];
        Long[] seqs = new Long[n];
        Integer[] contentOf = new Integer[n];
        String[] keys = new String[n];
        String[] hashes = new String[n];
        for (int i = 0; i < n; i++) {
            NewNotification row = rows.get(i);
            ids[i] = row.id();
            publishers[i] = row.publisherId();
            users[i] = row.userId();
            seqs[i] = row.seq();
            contentOf[i] = contentIndex.computeIfAbsent(row.content(), c -> {
                contents.add(c);
                return contents.size();
            });
            keys[i] = row.idempotencyKey();
            hashes[i] = row.requestHash() == null ? null : HexFormat.of().formatHex(row.requestHash());
        }
        return jdbc.prepareStatement("""
                WITH content AS (
                    SELECT n, type, title, message, data::jsonb AS data, priority::smallint AS priority,
                           ARRAY(SELECT jsonb_array_elements_text(tags::jsonb)) AS tags
                    FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[])
                         WITH ORDINALITY AS c(type, title, message, data, priority, tags, n))
                INSERT INTO notification (id, user_id, seq, type, title, message, data, priority, tags,
                                          publisher_id, idempotency_key, request_hash)
                SELECT r.id, r.user_id, r.seq, c.type, c.title, c.message, c.data, c.priority, c.tags,
                       r.publisher_id, r.idempotency_key, decode(r.request_hash, 'hex')
                FROM unnest(?::uuid[], ?::int8[], ?::int8[], ?::int8[], ?::int4[], ?::text[], ?::text[])
                     AS r(id, publisher_id, user_id, seq, content, idempotency_key, request_hash)
                JOIN content c ON c.n = r.content
                ON CONFLICT (publisher_id, idempotency_key, user_id) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id, created_at""", ps -> {
            java.sql.Connection connection = ps.getConnection();
            ps.setArray(1, connection.createArrayOf("text", contents.stream().map(Content::type).toArray()));
            ps.setArray(2, connection.createArrayOf("text", contents.stream().map(Content::title).toArray()));
            ps.setArray(3, connection.createArrayOf("text", contents.stream().map(Content::message).toArray()));
            ps.setArray(4, connection.createArrayOf("text", contents.stream().map(Content::dataJson).toArray()));
            ps.setArray(5, connection.createArrayOf("int4", contents.stream().map(Content::priority).toArray()));
            ps.setArray(6, connection.createArrayOf("text", contents.stream().map(c -> tagsJson(c.tags())).toArray()));
            ps.setArray(7, connection.createArrayOf("uuid", ids));
            ps.setArray(8, connection.createArrayOf("int8", publishers));
            ps.setArray(9, connection.createArrayOf("int8", users));
            ps.setArray(10, connection.createArrayOf("int8", seqs));
            ps.setArray(11, connection.createArrayOf("int4", contentOf));
            ps.setArray(12, connection.createArrayOf("text", keys));
            ps.setArray(13, connection.createArrayOf("text", hashes));
            Map<UUID, Instant> stored = new HashMap<>(n * 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
                }
            }
            return stored;
        });
    }

    /** The notifications these publishers' keys already name, with their fingerprints. */
    Map<KeyedRecipient, KeyedNotification> findKeyed(Collection<KeyedRecipient> wanted) {
        Long[] publishers = wanted.stream().map(KeyedRecipient::publisherId).toArray(Long[]::new);
        String[] keys = wanted.stream().map(KeyedRecipient::key).toArray(String[]::new);
        Long[] users = wanted.stream().map(KeyedRecipient::userId).toArray(Long[]::new);
        return jdbc.prepareStatement("SELECT n.id, n.user_id, n.seq, n.type, n.title, n.message, n.data, n.priority,"
                + " n.tags, n.created_at, n.read_at, n.publisher_id, n.idempotency_key, n.request_hash"
                + " FROM notification n"
                + " JOIN unnest(?::int8[], ?::text[], ?::int8[]) AS k(publisher_id, idempotency_key, user_id)"
                + " ON n.publisher_id = k.publisher_id AND n.idempotency_key = k.idempotency_key"
                + " AND n.user_id = k.user_id", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("int8", publishers));
            ps.setArray(2, ps.getConnection().createArrayOf("text", keys));
            ps.setArray(3, ps.getConnection().createArrayOf("int8", users));
            Map<KeyedRecipient, KeyedNotification> found = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(new KeyedRecipient(rs.getLong("publisher_id"), rs.getString("idempotency_key"),
                                    rs.getLong("user_id")),
                            new KeyedNotification(map(rs), rs.getBytes("request_hash")));
                }
            }
            return found;
        });
    }

    /** Some notification the publisher's key names, if any, with its fingerprint. */
    Optional<KeyedNotification> anyKeyed(long publisherId, String key) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + ", request_hash FROM notification"
                + " WHERE publisher_id = ? AND idempotency_key = ? LIMIT 1", ps -> {
            ps.setLong(1, publisherId);
            ps.setString(2, key);
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

    private String tagsJson(List<String> tags) {
        try {
            return json.writeValueAsString(tags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                new JsonObjectText(rs.getString("data"), json),
                rs.getInt("priority"),
                List.of((String[]) rs.getArray("tags").getArray()),
                rs.getTimestamp("created_at").toInstant(),
                readAt == null ? null : readAt.toInstant());
    }
}
