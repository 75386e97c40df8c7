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
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * SQL for notifications. Every statement is scoped by the owner's user id. Callers hold the transaction
 * (see {@link NotificationService}), except around {@link #store}, which commits on its own.
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

    /**
     * A notification about to be stored: the {@code ordinal}-th (from 1) of the user's notifications in one
     * {@link #store}, which gives it the user's next seq but {@code ordinal - 1}. A {@code required} one
     * whose user does not exist makes the whole store fail; another is left out.
     */
    record NewNotification(UUID id, long publisherId, long userId, int ordinal, Content content,
                           @Nullable String idempotencyKey, @Nullable byte[] requestHash, boolean required) {
    }

    /** What the database gave a stored notification. */
    record Stored(long seq, Instant createdAt) {
    }

    /** {@link #store} stored nothing: a row's idempotency key was taken meanwhile by a concurrent request. */
    static final String KEY_TAKEN = "HR001";
    /** {@link #store} stored nothing: a required row names a user that does not exist. */
    static final String USER_UNKNOWN = "HR002";

    /** One recipient under one publisher's idempotency key: names at most one notification. */
    record KeyedRecipient(long publisherId, String key, long userId) {
    }

    /** What an idempotency key already names: the notification and the fingerprint of its request. */
    record KeyedNotification(Notification notification, byte[] requestHash) {
    }

    /**
     * Reserves each user's next seqs and stores the rows, in one statement that the caller runs on a
     * connection in auto-commit: it commits on its own. The per-user cursor row locks it takes, which make
     * concurrent publishers to one user wait their turn (so seq is gap-free and in commit order), are then
     * held only while PostgreSQL inserts and flushes the commit, never across a round trip to Herald; that
     * wait, not the insert, was what bounded concurrent batches. Locks are taken in user id order, so two
     * bulk publishes cannot deadlock. Each distinct content is sent once however many recipients share it.
     * <p>
     * Rows of a user id that names no user are left out of the answer (checking costs no query of its own),
     * unless one is {@code required}: then the statement fails with {@link #USER_UNKNOWN}. A row whose key a
     * concurrent request took meanwhile fails it with {@link #KEY_TAKEN}. Failed, it stored nothing (the
     * reserved seqs are given back) and {@link #refusal} tells which.
     */
    Map<UUID, Stored> store(List<NewNotification> rows) {
        Map<Content, Integer> contentIndex = new IdentityHashMap<>();
        List<Content> contents = new ArrayList<>();
        int n = rows.size();
        UUID[] ids = new UUID[n];
        Long[] publishers = new Long[n];
        Long[] users = new Long[n];
        Integer[] ordinals = new Integer[n];
        Integer[] contentOf = new Integer[n];
        String[] keys = new String[n];
        String[] hashes = new String[n];
        Boolean[] required = new Boolean[n];
        for (int i = 0; i < n; i++) {
            NewNotification row = rows.get(i);
            required[i] = row.required();
            ids[i] = row.id();
            publishers[i] = row.publisherId();
            users[i] = row.userId();
            ordinals[i] = row.ordinal();
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
                         WITH ORDINALITY AS c(type, title, message, data, priority, tags, n)),
                r AS (
                    SELECT * FROM unnest(?::uuid[], ?::int8[], ?::int8[], ?::int4[], ?::int4[], ?::text[], ?::text[],
                                         ?::bool[])
                         AS r(id, publisher_id, user_id, ordinal, content, idempotency_key, request_hash, required)),
                wanted AS (
                    SELECT user_id, count(*) AS amount FROM r GROUP BY user_id),
                reserved AS (
                    INSERT INTO notification_cursor (user_id, last_seq)
                    SELECT w.user_id, w.amount FROM wanted w JOIN app_user u ON u.id = w.user_id
                    ORDER BY w.user_id
                    ON CONFLICT (user_id) DO UPDATE SET last_seq = notification_cursor.last_seq + excluded.last_seq
                    RETURNING user_id, last_seq),
                inserted AS (
                    INSERT INTO notification (id, user_id, seq, type, title, message, data, priority, tags,
                                              publisher_id, idempotency_key, request_hash)
                    SELECT r.id, r.user_id, s.last_seq - w.amount + r.ordinal, c.type, c.title, c.message, c.data,
                           c.priority, c.tags, r.publisher_id, r.idempotency_key, decode(r.request_hash, 'hex')
                    FROM r JOIN reserved s ON s.user_id = r.user_id
                           JOIN wanted w ON w.user_id = r.user_id
                           JOIN content c ON c.n = r.content
                    ON CONFLICT (publisher_id, idempotency_key, user_id) WHERE idempotency_key IS NOT NULL DO NOTHING
                    RETURNING id, seq, created_at)
                SELECT i.id, i.seq, i.created_at
                FROM (SELECT require_stored((SELECT count(*) FROM inserted),
                                            (SELECT count(*) FROM r JOIN reserved USING (user_id)),
                                            (SELECT count(*) FROM r WHERE r.required
                                                AND r.user_id NOT IN (SELECT user_id FROM reserved)))) AS c(ok)
                LEFT JOIN inserted i ON c.ok""", ps -> {
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
            ps.setArray(10, connection.createArrayOf("int4", ordinals));
            ps.setArray(11, connection.createArrayOf("int4", contentOf));
            ps.setArray(12, connection.createArrayOf("text", keys));
            ps.setArray(13, connection.createArrayOf("text", hashes));
            ps.setArray(14, connection.createArrayOf("bool", required));
            Map<UUID, Stored> stored = new HashMap<>(n * 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    if (id != null) {
                        stored.put(id, new Stored(rs.getLong(2), rs.getTimestamp(3).toInstant()));
                    }
                }
            }
            return stored;
        });
    }

    /** Why {@link #store} stored nothing ({@link #KEY_TAKEN}, {@link #USER_UNKNOWN}), if that is what failed. */
    static Optional<String> refusal(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && (KEY_TAKEN.equals(sql.getSQLState()) || USER_UNKNOWN.equals(sql.getSQLState()))) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
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

    /**
     * Whether the publisher's key names a notification that another request made: one whose fingerprint is
     * not {@code fingerprint}'s for its recipient. Reads every row the key names (a broadcast's: one per
     * user), a fetch at a time, and stops at the first that differs.
     */
    boolean keyedByOtherRequest(long publisherId, String key, LongFunction<byte[]> fingerprint) {
        return jdbc.prepareStatement("SELECT user_id, request_hash FROM notification"
                + " WHERE publisher_id = ? AND idempotency_key = ?", ps -> {
            ps.setLong(1, publisherId);
            ps.setString(2, key);
            ps.setFetchSize(1_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!Arrays.equals(rs.getBytes(2), fingerprint.apply(rs.getLong(1)))) {
                        return true;
                    }
                }
                return false;
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
        // The limit is written into the text, not bound: with LIMIT $n PostgreSQL never trusts a generic plan
        // (it must assume a tenth of the rows) and plans every execution again, about a third of its work
        // for a page. Pages are at most herald.notification.max-page-size long, so few such texts exist.
        sql.append(query.towardsNewer() ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ")
                .append(query.limit() + 1);
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

    /** The ids of the given users' notifications read at or after {@code since}, per user. */
    Map<Long, List<UUID>> readSince(Collection<Long> userIds, Instant since) {
        return jdbc.prepareStatement("SELECT user_id, id FROM notification"
                + " WHERE read_at >= ? AND user_id = ANY (?)", ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", userIds.toArray()));
            Map<Long, List<UUID>> read = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read.computeIfAbsent(rs.getLong(1), user -> new ArrayList<>()).add(rs.getObject(2, UUID.class));
                }
            }
            return read;
        });
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
