package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for topic messages. Every statement names its topic; callers hold the connection (see {@link TopicService}). */
@Singleton
class TopicRepository {

    private static final String COLUMNS = "topic, seq, id, type, title, message, data, priority, tags, created_at";
    /** The insert failed on the idempotency key: a concurrent request took it, or an earlier one had. */
    static final String UNIQUE_VIOLATION = "23505";
    static final String KEY_CONSTRAINT = "topic_message_idempotency_key";

    private final JdbcOperations jdbc;
    private final JsonMapper json;

    TopicRepository(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Takes the topic's next seq and inserts the message in one statement, which the caller runs in
     * auto-commit: the topic row's lock is held only while PostgreSQL inserts and commits. A statement that
     * fails (a key taken) gives its seq back with everything else, so the topic's seqs are handed out
     * gap-free (a message retracted later leaves its seq unused).
     */
    TopicMessage store(String topic, UUID id, long publisherId, Content content, @Nullable String key,
                       @Nullable byte[] requestHash) {
        return jdbc.prepareStatement("""
                WITH next AS (
                    INSERT INTO topic AS t (name, last_seq) VALUES (?, 1)
                    ON CONFLICT (name) DO UPDATE SET last_seq = t.last_seq + 1
                    RETURNING last_seq)
                INSERT INTO topic_message (topic, seq, id, type, title, message, data, priority, tags,
                                           publisher_id, idempotency_key, request_hash)
                SELECT ?, next.last_seq, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ? FROM next
                RETURNING seq, created_at""", ps -> {
            int i = 0;
            ps.setString(++i, topic);
            ps.setString(++i, topic);
            ps.setObject(++i, id);
            ps.setString(++i, content.type());
            ps.setString(++i, content.title());
            ps.setString(++i, content.message());
            ps.setString(++i, content.dataJson());
            ps.setInt(++i, content.priority());
            ps.setArray(++i, ps.getConnection().createArrayOf("text", content.tags().toArray()));
            ps.setLong(++i, publisherId);
            ps.setString(++i, key);
            if (requestHash == null) {
                ps.setNull(++i, Types.BINARY);
            } else {
                ps.setBytes(++i, requestHash);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new TopicMessage(topic, rs.getLong("seq"), id, content.type(), content.title(),
                        content.message(), content.data(), content.priority(), content.tags(),
                        rs.getTimestamp("created_at").toInstant());
            }
        });
    }

    /** What this publisher's key already names on the topic, with the fingerprint of its request. */
    Optional<Keyed> findKeyed(String topic, long publisherId, String key) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + ", request_hash FROM topic_message"
                + " WHERE topic = ? AND publisher_id = ? AND idempotency_key = ?", ps -> {
            ps.setString(1, topic);
            ps.setLong(2, publisherId);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Keyed(map(rs), rs.getBytes("request_hash"))) : Optional.empty();
            }
        });
    }

    record Keyed(TopicMessage message, @Nullable byte[] requestHash) {
    }

    /** Messages after {@code afterSeq}, oldest first, at most {@code limit}. */
    List<TopicMessage> after(String topic, long afterSeq, int limit) {
        return list("SELECT " + COLUMNS + " FROM topic_message WHERE topic = ? AND seq > ? AND seq < ?"
                + " ORDER BY seq LIMIT ?", topic, afterSeq, Long.MAX_VALUE, limit);
    }

    /** Messages before {@code beforeSeq} and after {@code floor}, newest first, at most {@code limit}. */
    List<TopicMessage> before(String topic, long beforeSeq, long floor, int limit) {
        return list("SELECT " + COLUMNS + " FROM topic_message WHERE topic = ? AND seq > ? AND seq < ?"
                + " ORDER BY seq DESC LIMIT ?", topic, floor, beforeSeq, limit);
    }

    /** The topic's latest seq; 0 for a topic nothing was published to. */
    long cursor(String topic) {
        return cursors(List.of(topic)).getOrDefault(topic, 0L);
    }

    /**
     * Deletes up to {@code limit} messages older than {@code age}, oldest first; the topics' cursors stay, so
     * a seq is never handed out twice. Returns how many went.
     */
    int deleteOlderThan(Duration age, int limit) {
        return jdbc.prepareStatement("""
                DELETE FROM topic_message WHERE (topic, seq) IN (
                    SELECT topic, seq FROM topic_message WHERE created_at < now() - ? * interval '1 millisecond'
                    ORDER BY created_at LIMIT ?)""", ps -> {
            ps.setLong(1, age.toMillis());
            ps.setInt(2, limit);
            return ps.executeUpdate();
        });
    }

    /**
     * Deletes the topic's message {@code id} if {@code publisherId} published it, or whoever did when
     * {@code publisherId} is null (an admin's retraction). False when there is no such message of theirs.
     */
    boolean delete(String topic, UUID id, @Nullable Long publisherId) {
        String sql = publisherId == null
                ? "DELETE FROM topic_message WHERE topic = ? AND id = ?"
                : "DELETE FROM topic_message WHERE topic = ? AND id = ? AND publisher_id = ?";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setString(1, topic);
            ps.setObject(2, id);
            if (publisherId != null) {
                ps.setLong(3, publisherId);
            }
            return ps.executeUpdate() == 1;
        });
    }

    /** The latest seq of each named topic that exists. */
    Map<String, Long> cursors(Collection<String> names) {
        return jdbc.prepareStatement("SELECT name, last_seq FROM topic WHERE name = ANY(?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("text", names.toArray()));
            Map<String, Long> cursors = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cursors.put(rs.getString(1), rs.getLong(2));
                }
            }
            return cursors;
        });
    }

    /** The topic's messages with {@code lower < seq < upper}, in the order and up to the limit {@code sql} gives. */
    private List<TopicMessage> list(String sql, String topic, long lower, long upper, int limit) {
        return jdbc.prepareStatement(sql, ps -> {
            ps.setString(1, topic);
            ps.setLong(2, lower);
            ps.setLong(3, upper);
            ps.setInt(4, limit);
            return rows(ps);
        });
    }

    private List<TopicMessage> rows(PreparedStatement ps) throws SQLException {
        List<TopicMessage> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(map(rs));
            }
        }
        return rows;
    }

    private TopicMessage map(ResultSet rs) throws SQLException {
        return new TopicMessage(
                rs.getString("topic"),
                rs.getLong("seq"),
                rs.getObject("id", UUID.class),
                rs.getString("type"),
                rs.getString("title"),
                rs.getString("message"),
                new JsonObjectText(rs.getString("data"), json),
                rs.getInt("priority"),
                List.of((String[]) rs.getArray("tags").getArray()),
                rs.getTimestamp("created_at").toInstant());
    }
}
