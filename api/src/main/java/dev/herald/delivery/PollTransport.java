package dev.herald.delivery;

import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One long-poll as a short-lived connection: it collects the notifications the connection delivers and
 * answers with them as soon as there is something to answer, that is when the backlog after
 * {@code since} has been read and was not empty, or when the first live notification arrives, or when
 * {@code limit} are collected. The wait ending or the connection closing answers with what there is.
 * A poll of a topic does the same with that topic's messages, and ignores the user's notifications.
 */
final class PollTransport implements Transport {

    /** The answer: notifications in seq order, as JSON, and the seq to poll from next. */
    record Answer(List<String> items, long cursor) {
    }

    private final int limit;
    private final @Nullable String topic;
    private final List<String> items = new ArrayList<>();
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private long cursor = -1;
    private boolean live;
    private boolean timeUp;
    private volatile int closedWith;

    /** A poll of the user's notifications; {@code resuming}: whether it starts with a backlog (a {@code since}). */
    static PollTransport ofNotifications(int limit, boolean resuming) {
        return new PollTransport(limit, null, !resuming);
    }

    /** A poll of a topic's messages: live once the connection's subscription says {@code subscribed}. */
    static PollTransport ofTopic(int limit, String topic) {
        return new PollTransport(limit, topic, false);
    }

    private PollTransport(int limit, @Nullable String topic, boolean live) {
        this.limit = limit;
        this.topic = topic;
        this.live = live;
    }

    CompletableFuture<Answer> answer() {
        return answer;
    }

    int closedWith() {
        return closedWith;
    }

    @Override
    public synchronized CompletableFuture<?> send(ServerMessage message, long position) {
        if (answer.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        if (topic == null) {
            if (position >= 0) {
                cursor = position;
            }
            if (message.isNotification()) {
                collect(message);
            } else if ("replayed".equals(message.type())) {
                goLive();
            }
        } else if (message.isTopicMessage() && topic.equals(message.topic())) {
            cursor = message.seq();
            collect(message);
        } else if (message.content() instanceof Subscribed subscribed && topic.equals(subscribed.topic())) {
            cursor = subscribed.cursor();
            goLive();
        }
        if (timeUp && live) {
            answerNow();
        }
        return CompletableFuture.completedFuture(null);
    }

    private void collect(ServerMessage message) {
        items.add(message.payload());
        // Live, answer at once: the rest of a burst is fetched by the next poll, which does not wait.
        if (live || items.size() >= limit) {
            answerNow();
        }
    }

    /** The backlog went out: answers with it if there was one, else waits for what comes live. */
    private void goLive() {
        live = true;
        if (!items.isEmpty()) {
            answerNow();
        }
    }

    /**
     * The wait ran out: answers with what there is, but not before the backlog was read, so that even
     * {@code wait=0} returns what is stored after {@code since}.
     */
    synchronized void timeUp() {
        timeUp = true;
        if (live && cursor >= 0) {
            answerNow();
        }
    }

    private synchronized void answerNow() {
        answer.complete(new Answer(List.copyOf(items), cursor));
    }

    @Override
    public void close(int code, String reason) {
        closedWith = code;
        answerNow();
    }

    @Override
    public boolean isOpen() {
        return !answer.isDone();
    }

    @Override
    public boolean answersPings() {
        return false;
    }
}
