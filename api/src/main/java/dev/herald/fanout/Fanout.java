package dev.herald.fanout;

import dev.herald.notification.Notification;
import dev.herald.notification.TopicMessage;
import java.util.List;
import java.util.UUID;

/**
 * Gets what happened to a user's notifications to every node that holds connections of that user. Called
 * only after the change committed. This node's share is handed to {@code LocalDelivery}; an implementation
 * for several nodes (PostgreSQL LISTEN/NOTIFY, NATS) replaces this one without the transports noticing.
 */
public interface Fanout {

    void published(List<Notification> notifications);

    void topicPublished(TopicMessage message);

    void read(long userId, List<UUID> ids);

    void allRead(long userId, long upTo);

    /** Whether the other nodes' changes reach this node as they happen; one node alone has none to hear. */
    default boolean hearsOtherNodes() {
        return true;
    }

    /** Whether this node's changes reach the other nodes as they happen: false while its messages fail to go out. */
    default boolean reachesOtherNodes() {
        return true;
    }
}
