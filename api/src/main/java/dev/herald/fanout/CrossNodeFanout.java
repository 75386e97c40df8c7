package dev.herald.fanout;

import dev.herald.delivery.LocalDelivery;
import dev.herald.notification.Notification;
import dev.herald.notification.TopicMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every cross-node fan-out does, whatever carries its messages. This node's own connections get
 * each change at once, in memory; the other nodes get ids and cursors, never bodies, batched: one
 * message carries whatever queued up while the previous one was being sent, so under heavy publishing it
 * is one message per batch, not per notification, and each stays well under 8,000 bytes (NOTIFY's limit).
 * A node drops its own messages when they come back. A message that could not be sent is sent again until
 * it goes out: the other nodes' periodic catch-up goes by cursor, so it would make good a publish but not a
 * read-state change. Sending one twice is harmless (each line is idempotent on the receiving node). Only a
 * message the transport says it can never carry (too long for it, say) is not tried again: its lines go one
 * by one, and a line that still cannot go is dropped and counted, so it does not hold up every change behind it.
 */
abstract class CrossNodeFanout implements Fanout {

    private static final Logger LOG = LoggerFactory.getLogger(CrossNodeFanout.class);
    static final int MAX_PAYLOAD = 7_000;
    /** Read ids per event: 36 characters each, so a piece always fits a payload. */
    private static final int MAX_IDS_PER_EVENT = 150;
    /** Queued events beyond this are dropped: the periodic catch-up delivers what they announced. */
    private static final int MAX_QUEUED = 100_000;
    /** The longest wait between two tries of a message that could not be sent. */
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);
    /** How far this node's clock and the database's may disagree, and still no read be missed. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

    private final String nodeId = UUID.randomUUID().toString().substring(0, 8);
    private final LocalDelivery delivery;
    private final RemoteChanges remote;
    private final BlockingQueue<FanoutEvent> outbox = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final LongAdder dropped = new LongAdder();
    private volatile boolean sending;
    private volatile boolean sendFailing;
    private Thread sender;

    CrossNodeFanout(LocalDelivery delivery, RemoteChanges remote) {
        this.delivery = delivery;
        this.remote = remote;
    }

    /** Sends one payload to every node, this one included. */
    abstract void send(String payload) throws Exception;

    /**
     * Whether {@code failure}, thrown by {@link #send}, says that this payload can never be sent, as opposed
     * to a failure of the way to the other nodes, which passes.
     */
    boolean unsendable(Exception failure) {
        return false;
    }

    /** Events not sent to the other nodes since this node started: the queue was full, or they could never go. */
    final long droppedEvents() {
        return dropped.sum();
    }

    @Override
    public final void published(List<Notification> notifications) {
        delivery.notifications(notifications);
        // Other nodes read the rows themselves, so a user's newest seq says all: one line per user.
        Map<Long, Long> upTo = new LinkedHashMap<>();
        notifications.forEach(n -> upTo.merge(n.userId(), n.seq(), Math::max));
        upTo.forEach((userId, seq) -> announce(new FanoutEvent.Published(userId, seq)));
    }

    @Override
    public final void topicPublished(TopicMessage message) {
        try {
            delivery.topicMessage(message);
        } finally {
            announce(new FanoutEvent.TopicPublished(message.topic(), message.seq()));
        }
    }

    @Override
    public final void read(long userId, List<UUID> ids) {
        delivery.read(userId, ids);
        FanoutEvent.splitToFit(new FanoutEvent.Read(userId, ids), MAX_IDS_PER_EVENT).forEach(this::announce);
    }

    @Override
    public final void allRead(long userId, long upTo) {
        delivery.allRead(userId, upTo);
        announce(new FanoutEvent.AllRead(userId, upTo));
    }

    @Override
    public final boolean reachesOtherNodes() {
        return !sendFailing;
    }

    /** A payload from any node: applies the other nodes' changes here. */
    final void received(String payload) {
        int end = payload.indexOf('\n');
        if (end < 0 || payload.substring(0, end).equals(nodeId)) {
            return; // this node's own: its connections had them at once
        }
        List<FanoutEvent> events = new ArrayList<>();
        for (String line : payload.substring(end + 1).split("\n")) {
            Optional<FanoutEvent> event = FanoutEvent.parse(line);
            if (event.isPresent()) {
                events.add(event.get());
            } else {
                LOG.debug("Skipped a fan-out line this node does not understand: {}", line);
            }
        }
        remote.apply(events);
    }

    /** Brings every local connection up to its user's cursor: periodically, against lost messages. */
    final void catchUp() {
        try {
            remote.catchUpAll();
        } catch (RuntimeException e) {
            LOG.warn("Fan-out catch-up failed; the next one will try again", e);
        }
    }

    /**
     * After this node could not hear the others since {@code lastHeard}: brings every local connection up
     * to its user's cursor, and tells it what was read meanwhile. The read-state window opens
     * {@link #CLOCK_MARGIN} earlier, since {@code read_at} is the database's clock, not this node's.
     */
    final void catchUpAfterDeafness(Instant lastHeard) {
        catchUp();
        try {
            remote.catchUpReads(lastHeard.minus(CLOCK_MARGIN));
        } catch (RuntimeException e) {
            LOG.warn("Fan-out read-state catch-up failed: devices here learn of reads made meanwhile when they next load history", e);
        }
    }

    final void startSending() {
        sending = true;
        sender = Thread.ofPlatform().daemon().name("herald-fanout-send").start(this::sendLoop);
    }

    /** Stops after what is queued went out, or after two seconds. */
    final void stopSending() throws InterruptedException {
        sending = false;
        if (sender != null) {
            sender.join(TimeUnit.SECONDS.toMillis(2));
            sender.interrupt();
        }
    }

    private void announce(FanoutEvent event) {
        if (!outbox.offer(event)) {
            dropped.increment();
            // The catch-up goes by cursor: it makes good a publish, not a read-state change.
            LOG.warn("Fan-out queue full: dropped the event '{}'; the periodic catch-up delivers a publish, "
                    + "other nodes' devices learn of a read-state change when they next load history", event.line());
        }
    }

    private void sendLoop() {
        while (sending || !outbox.isEmpty()) {
            try {
                FanoutEvent first = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                StringBuilder payload = new StringBuilder(nodeId).append('\n').append(first.line());
                FanoutEvent next;
                while ((next = outbox.peek()) != null && payload.length() + 1 + next.line().length() <= MAX_PAYLOAD) {
                    payload.append('\n').append(outbox.poll().line());
                }
                sendUntilSent(payload.toString());
            } catch (InterruptedException e) {
                if (!sending) {
                    return;
                }
            }
        }
    }

    /**
     * Tries again, backing off, until the message is sent or the node stops; false when the node stopped first
     * (what was queued is then given up too).
     */
    private boolean sendUntilSent(String payload) throws InterruptedException {
        long delay = 250;
        for (int failures = 1; ; failures++) {
            try {
                send(payload);
                sendFailing = false;
                if (failures > 1) {
                    LOG.info("Fan-out message sent after {} failed tries", failures - 1);
                }
                return true;
            } catch (InterruptedException e) {
                warnUnsent(null);
                throw e;
            } catch (Exception e) {
                if (unsendable(e)) {
                    sendFailing = false; // the transport answered: it is this message, not the way
                    return sendEachLineOrDrop(payload, e);
                }
                sendFailing = true;
                if (!sending) {
                    warnUnsent(e);
                    outbox.clear(); // what is queued behind it would only fail and say so again
                    return false;
                }
                if (failures == 1) {
                    LOG.warn("Could not send a fan-out message; trying again until it goes out", e);
                } else {
                    LOG.warn("Could not send a fan-out message ({} tries): {}", failures, e.toString());
                }
                try {
                    Thread.sleep(delay); // stopSending interrupts it
                } catch (InterruptedException stopped) {
                    warnUnsent(null);
                    throw stopped;
                }
                delay = Math.min(delay * 2, MAX_RETRY_DELAY.toMillis());
            }
        }
    }

    /** A payload the transport can never carry: each of its lines on its own, and a line that still cannot go is dropped. */
    private boolean sendEachLineOrDrop(String payload, Exception cause) throws InterruptedException {
        int headerEnd = payload.indexOf('\n') + 1;
        String[] lines = payload.substring(headerEnd).split("\n");
        if (lines.length > 1) {
            for (String line : lines) {
                if (!sendUntilSent(payload.substring(0, headerEnd) + line)) {
                    return false;
                }
            }
            return true;
        }
        dropped.increment();
        String line = lines[0];
        LOG.warn("Dropped a fan-out event that can never be sent ({}): '{}'; the other nodes' periodic catch-up "
                + "delivers a publish, their devices learn of a read-state change when they next load history",
                cause.toString(), line.length() <= 200 ? line : line.substring(0, 200) + "...");
        return true;
    }

    private void warnUnsent(Exception cause) {
        LOG.warn("Stopping with a fan-out message unsent and {} more queued: the other nodes' periodic catch-up "
                + "delivers the publishes they announced; their devices learn of their read-state changes when they "
                + "next load history", outbox.size(), cause);
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
