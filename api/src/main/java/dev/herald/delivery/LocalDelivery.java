package dev.herald.delivery;

import dev.herald.notification.Notification;
import dev.herald.notification.TopicMessage;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.concurrent.Executor;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The entrance fan-out uses to reach this node's connections. A message is serialised only when the user
 * has a connection here, and then once for all of them.
 */
@Singleton
public final class LocalDelivery {

    /** Connections written per event-loop task: a loop also serves other sockets between slices. */
    private static final int SLICE = 256;

    private final ConnectionRegistry registry;
    private final ServerMessages messages;

    LocalDelivery(ConnectionRegistry registry, ServerMessages messages) {
        this.registry = registry;
        this.messages = messages;
    }

    /**
     * Hands each user's connections here their share of the notifications, all at once, so that a
     * connection writes a batch's notifications together rather than one wake-up per notification.
     */
    public void notifications(List<Notification> notifications) {
        if (notifications.size() == 1) {
            Notification only = notifications.getFirst();
            registry.deliver(only.userId(), () -> List.of(messages.notification(only)));
            return;
        }
        Map<Long, List<Notification>> byUser = new LinkedHashMap<>();
        for (Notification notification : notifications) {
            byUser.computeIfAbsent(notification.userId(), user -> new ArrayList<>(1)).add(notification);
        }
        byUser.forEach((userId, own) ->
                registry.deliver(userId, () -> own.stream().map(messages::notification).toList()));
    }

    /**
     * Hands a topic message to the topic's subscribers here, serialised once for all of them. Subscribers
     * on WebSockets are written to from their event loops, a task per slice of each loop's subscribers,
     * rather than through a delivery thread each: one hand-over per slice instead of two per connection.
     */
    public void topicMessage(TopicMessage message) {
        Collection<Connection> subscribers = registry.subscribersOf(message.topic());
        if (subscribers.isEmpty()) {
            return;
        }
        ServerMessage built = messages.topicMessage(message);
        Map<Executor, List<Connection>> byWriter = new IdentityHashMap<>();
        for (Connection connection : subscribers) {
            Executor writer = connection.writer();
            if (writer == null) {
                connection.send(built);
            } else {
                List<Connection> slice = byWriter.computeIfAbsent(writer, w -> new ArrayList<>(SLICE));
                slice.add(connection);
                if (slice.size() == SLICE) {
                    writer.execute(() -> slice.forEach(c -> c.sendLive(built)));
                    byWriter.remove(writer);
                }
            }
        }
        byWriter.forEach((writer, slice) -> writer.execute(() -> slice.forEach(c -> c.sendLive(built))));
    }

    public boolean hasSubscribers(String topic) {
        return !registry.subscribersOf(topic).isEmpty();
    }

    /** The topics with a subscriber on this node. */
    public Set<String> subscribedTopics() {
        return registry.topics();
    }

    public void read(long userId, List<UUID> ids) {
        registry.deliver(userId, () -> List.of(messages.read(ids)));
    }

    public void allRead(long userId, long upTo) {
        registry.deliver(userId, () -> List.of(messages.allRead(upTo)));
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
