package dev.herald.fanout;

import dev.herald.delivery.LocalDelivery;
import dev.herald.notification.NotificationService;
import dev.herald.notification.TopicService;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies changes made on other nodes to this node's connections. A published notification arrives as a
 * cursor: each connection of the user here sends itself what it lacks from the database, in order and
 * once, whatever order the messages crossed in.
 */
@Singleton
final class RemoteChanges {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteChanges.class);
    /** Users (or topics) per cursor query when catching up: one round trip for many, bounded in size. */
    private static final int USERS_PER_QUERY = 5_000;
    /** Ids per {@code notification_read} when catching up: a message a device takes in one go. */
    private static final int READ_IDS_PER_MESSAGE = 500;

    private final LocalDelivery delivery;
    private final NotificationService notifications;
    private final TopicService topics;

    RemoteChanges(LocalDelivery delivery, NotificationService notifications, TopicService topics) {
        this.delivery = delivery;
        this.notifications = notifications;
        this.topics = topics;
    }

    void apply(List<FanoutEvent> events) {
        Map<Long, Long> upTo = new HashMap<>();
        Map<String, Long> topicUpTo = new HashMap<>();
        for (FanoutEvent event : events) {
            switch (event) {
                case FanoutEvent.Published(long userId, long seq) -> upTo.merge(userId, seq, Math::max);
                case FanoutEvent.Read(long userId, var ids) -> delivery.read(userId, ids);
                case FanoutEvent.AllRead(long userId, long seq) -> delivery.allRead(userId, seq);
                case FanoutEvent.TopicPublished(String topic, long seq) -> topicUpTo.merge(topic, seq, Math::max);
            }
        }
        upTo.forEach(delivery::advance);
        topicUpTo.forEach(this::advanceTopic);
    }

    /**
     * Hands the topic's messages up to {@code seq} to its subscribers here, read once for all of them. A
     * failure is logged, not thrown: it must not cost the node its listening connection, and subscribers
     * take what they lack from the database when the next message comes (and on the periodic catch-up).
     */
    private void advanceTopic(String topic, long seq) {
        try {
            delivery.topicAdvance(topic, seq);
        } catch (RuntimeException e) {
            LOG.warn("Could not hand out topic {} up to {}; the next message or catch-up will", topic, seq, e);
        }
    }

    /**
     * Brings every connection on this node up to its user's cursor in the database: after this node was
     * deaf for a while (its listening connection dropped), and periodically against lost messages.
     */
    void catchUpAll() {
        List<Long> users = new ArrayList<>(delivery.connectedUsers());
        for (int from = 0; from < users.size(); from += USERS_PER_QUERY) {
            notifications.cursors(users.subList(from, Math.min(users.size(), from + USERS_PER_QUERY)))
                    .forEach(delivery::advance);
        }
        List<String> subscribed = new ArrayList<>(delivery.subscribedTopics());
        for (int from = 0; from < subscribed.size(); from += USERS_PER_QUERY) {
            topics.cursors(subscribed.subList(from, Math.min(subscribed.size(), from + USERS_PER_QUERY)))
                    .forEach(this::advanceTopic);
        }
    }

    /**
     * Tells every connection on this node of its user's notifications read since {@code since}: the
     * read-state changes another node announced while this one could not hear (a cursor does not carry
     * them). Some were heard already; a device takes a {@code notification_read} for what it knows is read
     * as a no-op.
     */
    void catchUpReads(Instant since) {
        List<Long> users = new ArrayList<>(delivery.connectedUsers());
        for (int from = 0; from < users.size(); from += USERS_PER_QUERY) {
            notifications.readSince(users.subList(from, Math.min(users.size(), from + USERS_PER_QUERY)), since)
                    .forEach((userId, ids) -> {
                        for (int at = 0; at < ids.size(); at += READ_IDS_PER_MESSAGE) {
                            delivery.read(userId, ids.subList(at, Math.min(ids.size(), at + READ_IDS_PER_MESSAGE)));
                        }
                    });
        }
    }
}
