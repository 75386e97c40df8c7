package dev.herald.delivery;

import dev.herald.notification.Notification;
import dev.herald.notification.TopicMessage;
import io.micronaut.core.annotation.Nullable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live connection of one user, whatever its transport. Everything sent to it goes through its
 * mailbox, which one thread at a time drains; so per connection, notifications leave in seq order, each
 * once, and a resume's backlog meets the live stream without gap or duplicate:
 * <ul>
 *   <li>a notification at or below the last seq sent is dropped (it was in the backlog);</li>
 *   <li>a notification above the next expected seq first pulls the missing ones from the database
 *       (events of concurrent publishes can arrive out of order; seq order is commit order, so what is
 *       missing is already committed).</li>
 * </ul>
 * Topic messages follow the same two rules per topic, against the topic's own seq.
 * <p>
 * Messages queued or in flight are bounded by count and bytes; a client that falls behind is closed with
 * 4008 and resumes from its cursor, so nothing is lost and the server's memory stays bounded.
 */
public final class Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private sealed interface Task permits Send, SendAll, Start, Resume, Advance, Subscribe, Unsubscribe, Close {
    }

    private record Send(ServerMessage message) implements Task {
    }

    /** Messages that arrived together (a batch's notifications for this user): one task, written together. */
    private record SendAll(List<ServerMessage> messages) implements Task {
    }

    private record Start(Long since) implements Task {
    }

    private record Resume(long since) implements Task {
    }

    private record Advance(long upTo) implements Task {
    }

    private record Subscribe(String topic, @Nullable Long since) implements Task {
    }

    private record Unsubscribe(String topic) implements Task {
    }

    private record Close(int code, String reason) implements Task {
    }

    // Fields updated through VarHandles rather than Atomic* objects: a server holds a Connection per idle
    // socket, and five atomics would add a tenth to each one's heap.
    private static final VarHandle DRAINING;
    private static final VarHandle CLOSED;
    private static final VarHandle CLOSING;
    private static final VarHandle QUEUED_MESSAGES;
    private static final VarHandle QUEUED_BYTES;
    private static final CompletableFuture<?> NOTHING_WRITTEN = CompletableFuture.completedFuture(null);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DRAINING = lookup.findVarHandle(Connection.class, "draining", boolean.class);
            CLOSED = lookup.findVarHandle(Connection.class, "closed", boolean.class);
            CLOSING = lookup.findVarHandle(Connection.class, "closing", boolean.class);
            QUEUED_MESSAGES = lookup.findVarHandle(Connection.class, "queuedMessages", int.class);
            QUEUED_BYTES = lookup.findVarHandle(Connection.class, "queuedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The id as a UUID's two halves: its text (80 bytes) is made only when asked for.
    private final long idHigh;
    private final long idLow;
    private final long userId;
    private final Transport transport;
    private final ConnectionContext context;
    private final Queue<Task> mailbox = new ConcurrentLinkedQueue<>();
    private volatile boolean draining;
    private volatile boolean closed;
    private volatile boolean closing;
    private volatile int queuedMessages;
    private volatile long queuedBytes;
    private volatile Instant credentialExpiresAt;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long pingDueNanos;
    // The topics subscribed to, for the registry to forget on close; null until the first (most never do).
    private volatile Set<String> subscriptions;

    // Owned by the draining thread.
    private long lastSeq = -1; // -1 until the connection started
    private List<ServerMessage> early = new ArrayList<>();
    private long earlyAdvance;
    private CompletableFuture<?> lastWrite = NOTHING_WRITTEN;
    private Map<String, Long> topicSeqs; // each subscribed topic's last seq sent; null until the first

    // Owned by the transport's inbound thread.
    private long inboundWindowStart = System.nanoTime();
    private int inboundInWindow;
    private int windowsOverLimit;

    Connection(UUID id, long userId, Instant credentialExpiresAt, Transport transport, ConnectionContext context) {
        this.idHigh = id.getMostSignificantBits();
        this.idLow = id.getLeastSignificantBits();
        this.userId = userId;
        this.credentialExpiresAt = credentialExpiresAt;
        this.transport = transport;
        this.context = context;
        this.pingDueNanos = System.nanoTime() + KeepAlive.nextPingDelayNanos(context.config());
    }

    public String id() {
        return new UUID(idHigh, idLow).toString();
    }

    public long userId() {
        return userId;
    }

    // ---- what others ask of the connection ---------------------------------------------------------

    /** Starts delivery: {@code connected}, then the backlog after {@code since} if given, then live messages. */
    void start(Long since) {
        enqueue(new Start(since));
    }

    void resume(long since) {
        enqueue(new Resume(since));
    }

    /**
     * Everything up to {@code upTo} is committed: sends from the database what this connection has not
     * had yet. How notifications published on another node reach it (fan-out sends cursors, not bodies).
     */
    void advance(long upTo) {
        enqueue(new Advance(upTo));
    }

    /**
     * Subscribes to the topic: the messages stored after {@code since} first, if given, then
     * {@code subscribed}, then live messages. Subscribing again to the same topic resumes it from
     * {@code since}. False when that would be one topic more than a connection may have.
     */
    boolean subscribe(String topic, @Nullable Long since) {
        Set<String> topics = subscriptions;
        if (topics == null) {
            topics = ConcurrentHashMap.newKeySet();
            subscriptions = topics;
        }
        if (!topics.contains(topic)) {
            if (topics.size() >= context.config().maxSubscriptions()) {
                return false;
            }
            topics.add(topic);
            // Registered before the task is queued: a message published from now on reaches the mailbox,
            // and one that arrives before the task ran is dropped there, as the task reads it from the database.
            context.registry().subscribe(topic, this);
            if (closed) {
                context.registry().unsubscribe(topic, this);
                return true;
            }
        }
        enqueue(new Subscribe(topic, since));
        return true;
    }

    /** The transport's own writing thread, if it has one: see {@link #sendLive}. */
    @Nullable Executor writer() {
        return transport.writer();
    }

    /**
     * For a topic message, on the transport's {@link #writer}: when nothing is queued or being sent, writes it
     * at once, without a hand-over to a delivery thread (a broadcast to thousands of connections is mostly
     * this case); otherwise queues it as {@link #send} does. Holding the draining flag makes this thread,
     * for that moment, the one that owns the connection's state.
     */
    void sendLive(ServerMessage message) {
        if (!closed && mailbox.isEmpty() && DRAINING.compareAndSet(this, false, true)) {
            boolean handled;
            try {
                handled = writeIfNextOfTopic(message);
            } catch (RuntimeException e) {
                LOG.warn("Delivery to connection {} of user {} failed", id(), userId, e);
                close(CloseCodes.INTERNAL_ERROR, "Internal error: resume from your last seq");
                handled = true;
            } finally {
                draining = false;
                if (!closed && !mailbox.isEmpty() && DRAINING.compareAndSet(this, false, true)) {
                    context.executor().execute(this::drain);
                }
            }
            if (handled) {
                return;
            }
        }
        send(message);
    }

    /**
     * Writes the message if it is the next of a subscribed topic (no gap to fill from the database) and every
     * earlier write has gone out: a delivery thread's write reaches the event loop as a task queued behind
     * this one, so writing past it would put this message on the wire first. Drops what the mailbox would.
     */
    private boolean writeIfNextOfTopic(ServerMessage message) {
        Long last = topicSeqs == null ? null : topicSeqs.get(message.topic());
        if (last != null && message.seq() <= last) {
            return true; // sent already (a backlog, or a gap filled from the database)
        }
        if (last == null || message.seq() != last + 1 || !lastWrite.isDone()) {
            return false;
        }
        int messages = addQueuedMessages(1);
        long bytes = addQueuedBytes(message.size());
        if (messages > context.config().maxQueuedMessages() || bytes > context.config().maxQueuedBytes()) {
            release(message);
            close(CloseCodes.TOO_SLOW, "Too slow: resume from your last seq");
            return true;
        }
        topicSeqs.put(message.topic(), message.seq());
        write(message);
        return true;
    }

    void unsubscribe(String topic) {
        Set<String> topics = subscriptions;
        if (topics != null && topics.remove(topic)) {
            context.registry().unsubscribe(topic, this);
            enqueue(new Unsubscribe(topic));
        }
    }

    /** Queues a message; closes the connection with 4008 if that puts it over its limits. */
    void send(ServerMessage message) {
        if (closed) {
            return;
        }
        int messages = addQueuedMessages(1);
        long bytes = addQueuedBytes(message.size());
        if (messages > context.config().maxQueuedMessages() || bytes > context.config().maxQueuedBytes()) {
            release(message);
            close(CloseCodes.TOO_SLOW, "Too slow: resume from your last seq");
            return;
        }
        enqueue(new Send(message));
    }

    /** Queues messages that belong together, as one task; closes with 4008 if they put it over its limits. */
    void send(List<ServerMessage> messages) {
        if (messages.size() == 1) {
            send(messages.getFirst());
            return;
        }
        if (closed) {
            return;
        }
        long size = 0;
        long lastNotification = 0;
        boolean allNotifications = true;
        for (ServerMessage message : messages) {
            size += message.size();
            lastNotification = Math.max(lastNotification, message.seq());
            allNotifications &= message.isNotification();
        }
        if (allNotifications && (messages.size() > context.config().maxQueuedMessages()
                || size > context.config().maxQueuedBytes())) {
            // More than the whole bound at once (a large batch's share for one user), which says nothing of
            // how fast the client reads: it takes them from the database instead, at its own pace.
            advance(lastNotification);
            return;
        }
        int queued = addQueuedMessages(messages.size());
        long bytes = addQueuedBytes(size);
        if (queued > context.config().maxQueuedMessages() || bytes > context.config().maxQueuedBytes()) {
            messages.forEach(this::release);
            close(CloseCodes.TOO_SLOW, "Too slow: resume from your last seq");
            return;
        }
        enqueue(new SendAll(messages));
    }

    /**
     * Closes once everything queued before has been written (or the shutdown grace ran out), so that a
     * client learns why (an {@code error} queued just before, say) and gets what it was already sent.
     */
    void closeAfterFlush(int code, String reason) {
        if (CLOSING.compareAndSet(this, false, true)) {
            enqueue(new Close(code, reason));
        }
    }

    /** True until the transport finished closing: shutdown waits for this, so close frames get out. */
    boolean transportOpen() {
        return transport.isOpen();
    }

    /** Closes at once and forgets the connection, whether or not the transport reports the close. */
    void close(int code, String reason) {
        if (forget()) {
            try {
                transport.close(code, reason);
            } catch (RuntimeException e) {
                LOG.debug("Closing connection {} failed", id(), e);
            }
        }
    }

    /** The transport saw the connection end (client closed, network error). */
    void transportClosed() {
        forget();
    }

    /** Marks the connection closed and drops it from the registry; true for the caller that did so. */
    private boolean forget() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return false;
        }
        context.registry().unregister(this);
        Set<String> topics = subscriptions;
        if (topics != null) {
            topics.forEach(topic -> context.registry().unsubscribe(topic, this));
        }
        mailbox.clear();
        return true;
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long nanosSinceHeard(long now) {
        return now - lastHeardNanos;
    }

    boolean pingDue(long now) {
        return now - pingDueNanos >= 0;
    }

    /** Sends a keep-alive ping, and sets when the next one is due. */
    void ping(long nextDueNanos) {
        pingDueNanos = nextDueNanos;
        send(context.messages().ping());
    }

    boolean credentialExpired(Instant now) {
        return !credentialExpiresAt.isAfter(now);
    }

    void renewCredential(Instant expiresAt) {
        credentialExpiresAt = expiresAt;
    }

    /** What to do with one more inbound message in this second. */
    enum Admission { ACCEPT, REFUSE, CLOSE }

    /**
     * Over the per-second limit a message is refused; a client that keeps over it for three seconds in a
     * row, or goes five times over in one, is abusing the connection and is closed.
     */
    Admission admitInbound(long now) {
        int limit = context.config().maxInboundPerSecond();
        if (now - inboundWindowStart >= TimeUnit.SECONDS.toNanos(1)) {
            windowsOverLimit = inboundInWindow > limit ? windowsOverLimit + 1 : 0;
            inboundWindowStart = now;
            inboundInWindow = 0;
        }
        inboundInWindow++;
        if (inboundInWindow > limit && (inboundInWindow > 5 * limit || windowsOverLimit >= 2)) {
            return Admission.CLOSE;
        }
        return inboundInWindow > limit ? Admission.REFUSE : Admission.ACCEPT;
    }

    // ---- the mailbox --------------------------------------------------------------------------------

    private void enqueue(Task task) {
        if (closed) {
            return;
        }
        mailbox.add(task);
        if (DRAINING.compareAndSet(this, false, true)) {
            context.executor().execute(this::drain);
        }
    }

    private void drain() {
        try {
            Task task;
            while (!closed && (task = mailbox.poll()) != null) {
                run(task);
            }
        } catch (RuntimeException e) {
            LOG.warn("Delivery to connection {} of user {} failed", id(), userId, e);
            close(CloseCodes.INTERNAL_ERROR, "Internal error: resume from your last seq");
        } finally {
            draining = false;
            if (!closed && !mailbox.isEmpty() && DRAINING.compareAndSet(this, false, true)) {
                context.executor().execute(this::drain);
            }
        }
    }

    private void run(Task task) {
        switch (task) {
            case Send(ServerMessage message) -> sendQueued(message);
            case SendAll(List<ServerMessage> messages) -> messages.forEach(this::sendQueued);
            case Start(Long since) -> start(since, context.notifications().cursor(userId));
            case Resume(long since) -> replay(since, context.notifications().cursor(userId));
            case Advance(long upTo) -> {
                if (lastSeq < 0) {
                    earlyAdvance = Math.max(earlyAdvance, upTo); // before start: applied once started
                } else if (upTo > lastSeq) {
                    catchUp(upTo);
                }
            }
            case Subscribe(String topic, Long since) -> subscribeFrom(topic, since);
            case Unsubscribe(String topic) -> {
                if (topicSeqs != null) {
                    topicSeqs.remove(topic);
                }
            }
            case Close(int code, String reason) -> {
                awaitWrites(context.config().shutdownGrace().toMillis());
                close(code, reason);
            }
        }
    }

    private void sendQueued(ServerMessage message) {
        if (message.isTopicMessage()) {
            deliverTopicMessage(message);
        } else if (!message.isNotification()) {
            write(message);
        } else if (lastSeq < 0) {
            early.add(message); // before start: the start decides what is new
        } else {
            deliverInOrder(message);
        }
    }

    private void start(Long since, long cursor) {
        lastSeq = since == null ? cursor : Math.min(since, cursor);
        writeOwn(context.messages().connected(userId, id(), cursor));
        if (since != null) {
            replay(since, cursor);
        }
        List<ServerMessage> arrived = early;
        early = null;
        arrived.forEach(this::deliverInOrder);
        if (earlyAdvance > lastSeq) {
            catchUp(earlyAdvance);
        }
    }

    /** Sends what is stored after {@code since} (a client cannot be ahead of the cursor), then {@code replayed}. */
    private void replay(long since, long cursor) {
        lastSeq = Math.min(since, cursor);
        sendStored(Long.MAX_VALUE);
        writeOwn(context.messages().replayed(since, lastSeq));
    }

    private void deliverInOrder(ServerMessage message) {
        if (message.seq() <= lastSeq) {
            release(message);
            return;
        }
        if (message.seq() > lastSeq + 1) {
            catchUp(message.seq() - 1);
        }
        lastSeq = message.seq();
        write(message);
    }

    /** Fills a gap below a live notification from the database; deleted notifications leave real gaps. */
    private void catchUp(long upTo) {
        sendStored(upTo);
        lastSeq = Math.max(lastSeq, upTo);
    }

    /**
     * Sends the stored notifications after {@code lastSeq} up to {@code upTo}, batch by batch, waiting
     * for each batch to be written so that a large backlog goes at the client's pace.
     */
    private void sendStored(long upTo) {
        int batchSize = context.config().replayBatchSize();
        List<Notification> batch;
        do {
            batch = context.notifications().since(userId, lastSeq, batchSize);
            for (Notification notification : batch) {
                if (notification.seq() > upTo) {
                    return;
                }
                lastSeq = notification.seq();
                writeOwn(context.messages().notification(notification));
                if (overHalfTheBound()) {
                    // A backlog goes out at the client's pace and leaves half the bound to live messages,
                    // so that one arriving meanwhile does not find the connection over it (4008) however
                    // fast the client reads.
                    awaitWrites(TimeUnit.MINUTES.toMillis(1));
                }
            }
            awaitWrites(TimeUnit.MINUTES.toMillis(1));
        } while (batch.size() == batchSize && !closed);
    }

    // ---- topics ---------------------------------------------------------------------------------------

    private void subscribeFrom(String topic, @Nullable Long since) {
        long cursor = context.topics().cursor(topic);
        long from = since == null ? cursor : Math.min(since, cursor);
        if (topicSeqs == null) {
            topicSeqs = new HashMap<>(4);
        }
        topicSeqs.put(topic, from);
        if (since != null) {
            sendStoredTopicMessages(topic, Long.MAX_VALUE);
            // Everything up to the cursor was committed when it was read, and has now been read: a seq up to
            // it that was not sent was retracted. Without this, the next live message would find a gap below
            // it and query the database again for nothing.
            topicSeqs.merge(topic, cursor, Math::max);
        }
        writeOwn(context.messages().subscribed(topic, from, topicSeqs.get(topic)));
    }

    /** Drops what is not subscribed or was sent already; fills a gap below it from the database. */
    private void deliverTopicMessage(ServerMessage message) {
        Long last = topicSeqs == null ? null : topicSeqs.get(message.topic());
        if (last == null || message.seq() <= last) {
            release(message);
            return;
        }
        if (message.seq() > last + 1) {
            sendStoredTopicMessages(message.topic(), message.seq() - 1);
        }
        topicSeqs.put(message.topic(), message.seq());
        write(message);
    }

    /** As {@link #sendStored}, for a topic: its messages after the last one sent, up to {@code upTo}. */
    private void sendStoredTopicMessages(String topic, long upTo) {
        int batchSize = context.config().replayBatchSize();
        List<TopicMessage> batch;
        do {
            batch = context.topics().since(topic, topicSeqs.get(topic), batchSize);
            for (TopicMessage stored : batch) {
                if (stored.seq() > upTo) {
                    return;
                }
                topicSeqs.put(topic, stored.seq());
                writeOwn(context.messages().topicMessage(stored));
                if (overHalfTheBound()) {
                    awaitWrites(TimeUnit.MINUTES.toMillis(1));
                }
            }
            awaitWrites(TimeUnit.MINUTES.toMillis(1));
        } while (batch.size() == batchSize && !closed);
    }

    // ---- writing --------------------------------------------------------------------------------------

    /** Writes a message produced here (not queued through {@link #send}), counting it while in flight. */
    private void writeOwn(ServerMessage message) {
        addQueuedMessages(1);
        addQueuedBytes(message.size());
        write(message);
    }

    private void write(ServerMessage message) {
        if (closed) {
            release(message);
            return;
        }
        CompletableFuture<?> written;
        try {
            written = transport.send(message, lastSeq);
        } catch (RuntimeException e) {
            release(message);
            throw e;
        }
        lastWrite = written;
        written.whenComplete((ignored, error) -> {
            release(message);
            if (error != null) {
                transportClosed();
            } else if (!transport.answersPings()) {
                heard();
            }
        });
    }

    private boolean overHalfTheBound() {
        return queuedMessages > context.config().maxQueuedMessages() / 2
                || queuedBytes > context.config().maxQueuedBytes() / 2;
    }

    private int addQueuedMessages(int delta) {
        return (int) QUEUED_MESSAGES.getAndAdd(this, delta) + delta;
    }

    private long addQueuedBytes(long delta) {
        return (long) QUEUED_BYTES.getAndAdd(this, delta) + delta;
    }

    private void release(ServerMessage message) {
        addQueuedMessages(-1);
        addQueuedBytes(-message.size());
    }

    private void awaitWrites(long millis) {
        try {
            lastWrite.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Connection {} did not take its writes in time", id());
        }
    }
}
