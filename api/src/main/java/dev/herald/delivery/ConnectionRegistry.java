package dev.herald.delivery;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This node's live connections by user. A message for a user costs one hash lookup and touches only that
 * user's connections; nothing per message walks all connections. Each user's list is an immutable copy
 * replaced atomically, so delivery reads it without locking while connects and disconnects race.
 */
@Singleton
final class ConnectionRegistry {

    private final Map<Long, List<Connection>> byUser = new ConcurrentHashMap<>();
    // A topic can have every connection of the node as a subscriber: a concurrent set, not a copied list.
    private final Map<String, Set<Connection>> byTopic = new ConcurrentHashMap<>();

    /** Adds the connection unless its user already has {@code max}; false when refused. */
    boolean register(Connection connection, int max) {
        AtomicBoolean added = new AtomicBoolean();
        byUser.compute(connection.userId(), (user, current) -> {
            List<Connection> list = current == null ? List.of() : current;
            if (list.size() >= max) {
                return current;
            }
            List<Connection> grown = new ArrayList<>(list.size() + 1);
            grown.addAll(list);
            grown.add(connection);
            added.set(true);
            return List.copyOf(grown);
        });
        return added.get();
    }

    void unregister(Connection connection) {
        byUser.computeIfPresent(connection.userId(), (user, current) -> {
            List<Connection> rest = current.stream().filter(c -> c != connection).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    List<Connection> connectionsOf(long userId) {
        return byUser.getOrDefault(userId, List.of());
    }

    /** Sends to each of the user's connections; builds the messages only if there is one. */
    void deliver(long userId, Supplier<List<ServerMessage>> messages) {
        List<Connection> connections = connectionsOf(userId);
        if (connections.isEmpty()) {
            return;
        }
        List<ServerMessage> built = messages.get();
        for (Connection connection : connections) {
            connection.send(built);
        }
    }

    void subscribe(String topic, Connection connection) {
        byTopic.compute(topic, (name, current) -> {
            Set<Connection> subscribers = current == null ? ConcurrentHashMap.newKeySet() : current;
            subscribers.add(connection);
            return subscribers;
        });
    }

    void unsubscribe(String topic, Connection connection) {
        byTopic.computeIfPresent(topic, (name, subscribers) -> {
            subscribers.remove(connection);
            return subscribers.isEmpty() ? null : subscribers;
        });
    }

    Collection<Connection> subscribersOf(String topic) {
        Set<Connection> subscribers = byTopic.get(topic);
        return subscribers == null ? List.of() : subscribers;
    }

    /** The topics with a subscriber on this node. */
    Set<String> topics() {
        return Set.copyOf(byTopic.keySet());
    }

    /** Open connections on this node: walks the users, so for metrics scrapes, never per message. */
    int connectionCount() {
        int count = 0;
        for (List<Connection> connections : byUser.values()) {
            count += connections.size();
        }
        return count;
    }

    int userCount() {
        return byUser.size();
    }

    Set<Long> users() {
        return Set.copyOf(byUser.keySet());
    }

    /** Visits every connection: for periodic sweeps and shutdown only, never per message. */
    void forEach(Consumer<Connection> action) {
        byUser.values().forEach(list -> list.forEach(action));
    }

}
