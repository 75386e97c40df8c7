package dev.herald.delivery;

import dev.herald.notification.Notification;
import dev.herald.notification.TopicMessage;
import dev.herald.notification.TopicService;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    /** The most topic messages this node reads and hands out at once to fill a gap (see handOutStored). */
    private static final int MAX_HANDED_OUT_GAP = 32;
    private static final Logger LOG = LoggerFactory.getLogger(LocalDelivery.class);

    private final ConnectionRegistry registry;
    private final ServerMessages messages;
    private final TopicService topics;
    // Per topic subscribed to here: the last seq handed to its subscribers; dropped once it has none.
    private final Map<String, TopicProgress> progress = new ConcurrentHashMap<>();

    LocalDelivery(ConnectionRegistry registry, ServerMessages messages, TopicService topics) {
        this.registry = registry;
        this.messages = messages;
        this.topics = topics;
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
     * A topic message committed on this node: handed to the topic's subscribers here in seq order. One
     * that overtook an earlier one (concurrent publishers) first brings the earlier ones from the database,
     * once for the node rather than once per subscriber.
     */
    public void topicMessage(TopicMessage message) {
        TopicProgress progress = progressOf(message.topic());
        if (progress == null) {
            return;
        }
        synchronized (progress) {
            if (message.seq() <= progress.handedOut) {
                return;
            }
            if (progress.handedOut > 0 && message.seq() > progress.handedOut + 1) {
                try {
                    handOutStored(progress, message.seq() - 1);
                } catch (RuntimeException e) {
                    // The message in hand still goes out: each subscriber takes what it lacks below it itself.
                    LOG.warn("Could not read topic {} up to {}; its subscribers here fill the gap themselves",
                            message.topic(), message.seq() - 1, e);
                }
            }
            handOut(progress, message);
        }
    }

    /**
     * The topic's messages up to {@code upTo} are committed (published on another node, or found by a
     * check): reads what this node has not handed out yet, once, and hands it to the subscribers here.
     */
    public void topicAdvance(String topic, long upTo) {
        TopicProgress progress = progressOf(topic);
        if (progress == null) {
            return;
        }
        synchronized (progress) {
            if (upTo <= progress.handedOut) {
                return;
            }
            if (progress.handedOut == 0) {
                // Nothing handed out here yet: each subscriber has what came before, or takes it itself.
                progress.handedOut = upTo - 1;
            }
            handOutStored(progress, upTo);
        }
    }

    /** What this node handed out of a topic: guarded by its own monitor. */
    private static final class TopicProgress {
        private final String topic;
        private long handedOut; // 0 until the first message

        private TopicProgress(String topic) {
            this.topic = topic;
        }
    }

    /** The topic's progress here, or null when it has no subscriber here (then nothing needs handing out). */
    private TopicProgress progressOf(String topic) {
        if (registry.subscribersOf(topic).isEmpty()) {
            // Forgotten, so that a later subscriber does not make this node read what went by meanwhile.
            progress.remove(topic);
            return null;
        }
        return progress.computeIfAbsent(topic, TopicProgress::new);
    }

    /**
     * Hands out the stored messages after the last one handed out, up to {@code upTo}: a few that overtook
     * one another. A larger gap (events lost while this node could not hear) is left to each subscriber,
     * which takes it from the database at its own pace: handed out at once it would be pushed at every
     * connection as live messages and close, as too slow, one that reads but not that fast.
     */
    private void handOutStored(TopicProgress progress, long upTo) {
        if (upTo - progress.handedOut > MAX_HANDED_OUT_GAP) {
            progress.handedOut = upTo - 1;
        }
        while (progress.handedOut < upTo) {
            int wanted = (int) (upTo - progress.handedOut);
            List<TopicMessage> stored = topics.since(progress.topic, progress.handedOut, wanted);
            if (stored.isEmpty()) {
                progress.handedOut = upTo; // nothing more is stored: subscribers fill what they lack themselves
                return;
            }
            stored.forEach(message -> handOut(progress, message));
        }
    }

    /**
     * Hands a topic message to the topic's subscribers here, serialised once for all of them. Subscribers
     * on WebSockets are written to from their event loops, a task per slice of each loop's subscribers,
     * rather than through a delivery thread each: one hand-over per slice instead of two per connection.
     */
    private void handOut(TopicProgress progress, TopicMessage message) {
        progress.handedOut = message.seq();
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
                    sendLive(writer, slice, built);
                    byWriter.remove(writer);
                }
            }
        }
        byWriter.forEach((writer, slice) -> sendLive(writer, slice, built));
    }

    private static void sendLive(Executor writer, List<Connection> slice, ServerMessage message) {
        try {
            writer.execute(() -> slice.forEach(connection -> connection.sendLive(message)));
        } catch (RejectedExecutionException e) {
            slice.forEach(connection -> connection.send(message)); // the loop is shutting down: the mailbox decides
        }
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
