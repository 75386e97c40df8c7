package dev.herald.delivery;

import dev.herald.notification.Notification;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The entrance fan-out uses to reach this node's connections. A message is serialised only when the user
 * has a connection here, and then once for all of them.
 */
@Singleton
public final class LocalDelivery {

    private final ConnectionRegistry registry;
    private final ServerMessages messages;

    LocalDelivery(ConnectionRegistry registry, ServerMessages messages) {
        this.registry = registry;
        this.messages = messages;
    }

    public void notification(Notification notification) {
        registry.deliver(notification.userId(), () -> messages.notification(notification));
    }

    public void read(long userId, List<UUID> ids) {
        registry.deliver(userId, () -> messages.read(ids));
    }

    public void allRead(long userId, long upTo) {
        registry.deliver(userId, () -> messages.allRead(upTo));
    }

    /**
     * The user's notifications up to {@code upTo} are committed (published on another node, or found by a
     * check): each of the user's connections here sends itself what it lacks, from the database.
     */
    public void advance(long userId, long upTo) {
        for (Connection connection : registry.connectionsOf(userId)) {
            connection.advance(upTo);
        }
    }

    /** The users with a connection on this node. */
    public Set<Long> connectedUsers() {
        return registry.users();
    }
}
