package dev.herald.notification;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.herald.ops.InvalidRequestException;
import dev.herald.ops.Problem;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics: messages stored once and delivered to every connection subscribed to the topic, the way to
 * reach thousands of devices at once (a notification to every user is a row per user). Every signed-in
 * user may read and subscribe to any topic; publishers and admins publish.
 */
@Singleton
public final class TopicService {

    private static final Logger LOG = LoggerFactory.getLogger(TopicService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final String NAME_RULE = "must be 1 to 64 letters, digits or _ . : -";
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();
    /** Topic messages deleted per statement by the retention sweep: short locks, bounded WAL per commit. */
    private static final int RETENTION_BATCH = 10_000;

    private final TopicRepository topics;
    private final Contents contents;
    private final ConnectionOperations<Connection> connections;
    private final ApplicationEventPublisher<Object> events;

    TopicService(TopicRepository topics, Contents contents, ConnectionOperations<Connection> connections,
                 ApplicationEventPublisher<Object> events) {
        this.topics = topics;
        this.contents = contents;
        this.connections = connections;
        this.events = events;
    }

    public static boolean isValidName(@Nullable String topic) {
        return topic != null && NAME.matcher(topic).matches();
    }

    /** What became of a publish: the message, and whether this request created it (false: a key replayed it). */
    record Published(TopicMessage message, boolean created) {
    }

    /**
     * Checks the topic's name and the message, as a publish would, and encodes its content.
     *
     * @throws InvalidRequestException naming every field that is wrong
     */
    Content check(String topic, TopicRequest request, @Nullable String key) {
        requireValidName(topic);
        List<Problem.FieldError> invalid = PublishRequestRules.violations(request.asPublishRequest(), key);
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException(invalid);
        }
        return contents.of(request.asPublishRequest(), key != null);
    }

    /**
     * Stores the message (its content from {@link #check}), then starts its delivery. With a key, the same
     * key and content again answers with the message stored the first time; the same key with other content
     * is a conflict (409).
     */
    Published publish(long publisherId, String topic, Content content, @Nullable String key) {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (key != null) {
                Optional<TopicRepository.Keyed> earlier = read(repository -> repository.findKeyed(topic, publisherId, key));
                if (earlier.isPresent()) {
                    if (!Arrays.equals(earlier.get().requestHash(), content.digest())) {
                        throw new HttpStatusException(HttpStatus.CONFLICT, NotificationWriter.KEY_CONFLICT);
                    }
                    return new Published(earlier.get().message(), false);
                }
            }
            try {
                TopicMessage stored = connections.execute(ConnectionDefinition.REQUIRES_NEW, status -> {
                    NotificationWriter.autoCommit(status.getConnection());
                    return topics.store(topic, IDS.generate(), publisherId, content, key, content.digest());
                });
                announce(stored);
                return new Published(stored, true);
            } catch (DataAccessException e) {
                if (key == null || !keyTaken(e)) {
                    throw e;
                }
                // A concurrent request with this key committed first: the next round replays or refuses it.
            }
        }
        throw new IllegalStateException("The Idempotency-Key kept conflicting with concurrent requests");
    }

    /** A page of the topic's messages, newest first, keyset-paged by seq (as a user's history is). */
    TopicPage page(String topic, @Nullable Long after, @Nullable Long before, int limit) {
        requireValidName(topic);
        if (before == null && after != null) {
            List<TopicMessage> rows = read(repository -> repository.after(topic, after, limit + 1));
            boolean more = rows.size() > limit;
            List<TopicMessage> items = new ArrayList<>(more ? rows.subList(0, limit) : rows);
            Collections.reverse(items);
            return new TopicPage(items, more ? items.getFirst().seq() : null);
        }
        long from = before == null ? Long.MAX_VALUE : before;
        List<TopicMessage> rows = read(repository -> repository.before(topic, from, after == null ? 0 : after, limit + 1));
        boolean more = rows.size() > limit;
        List<TopicMessage> items = more ? rows.subList(0, limit) : rows;
        return new TopicPage(items, more ? items.getLast().seq() : null);
    }

    /** Up to {@code limit} of the topic's messages with seq greater than {@code afterSeq}, oldest first. */
    public List<TopicMessage> since(String topic, long afterSeq, int limit) {
        return read(repository -> repository.after(topic, afterSeq, limit));
    }

    /** The topic's latest seq: 0 before anything was published to it. */
    public long cursor(String topic) {
        return read(repository -> repository.cursor(topic));
    }

    /** The latest seq of each of these topics that has any. */
    public Map<String, Long> cursors(Collection<String> names) {
        return read(repository -> repository.cursors(names));
    }

    /**
     * Retracts a message: a publisher their own, an admin anyone's. Subscribers that had it keep it; those that
     * resume from before it never get it (its seq stays used, a gap each connection steps over). 404 for a
     * message that does not exist or is another publisher's, alike.
     */
    void delete(long callerId, boolean admin, String topic, UUID id) {
        requireValidName(topic);
        boolean deleted = connections.execute(ConnectionDefinition.REQUIRES_NEW, status -> {
            NotificationWriter.autoCommit(status.getConnection());
            return topics.delete(topic, id, admin ? null : callerId);
        });
        if (!deleted) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "Topic message not found");
        }
    }

    /** Deletes the topic messages older than {@code age}, a batch per statement; returns how many went. */
    long deleteOlderThan(Duration age) {
        long deleted = 0;
        int batch;
        do {
            batch = connections.execute(ConnectionDefinition.REQUIRES_NEW, status -> {
                NotificationWriter.autoCommit(status.getConnection());
                return topics.deleteOlderThan(age, RETENTION_BATCH);
            });
            deleted += batch;
        } while (batch == RETENTION_BATCH);
        return deleted;
    }

    /** A 400 naming the field {@code topic} unless the name is one a topic may have. */
    public static void requireValidName(String topic) {
        if (!isValidName(topic)) {
            throw new InvalidRequestException("topic", NAME_RULE);
        }
    }

    private <T> T read(Function<TopicRepository, T> statement) {
        return connections.executeRead(status -> statement.apply(topics));
    }

    /**
     * The message is stored whatever happens here: a connection that missed it catches up from the
     * database when the next message arrives or when it resubscribes.
     */
    private void announce(TopicMessage message) {
        try {
            events.publishEvent(new TopicMessagePublished(message));
        } catch (RuntimeException e) {
            LOG.warn("Delivery of topic message {}#{} failed; subscribers catch up from the database",
                    message.topic(), message.seq(), e);
        }
    }

    private static boolean keyTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && TopicRepository.UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).contains(TopicRepository.KEY_CONSTRAINT)) {
                return true;
            }
        }
        return false;
    }
}
