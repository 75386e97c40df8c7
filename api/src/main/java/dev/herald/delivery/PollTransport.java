package dev.herald.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One long-poll as a short-lived connection: it collects the notifications the connection delivers and
 * answers with them as soon as there is something to answer, that is when the backlog after
 * {@code since} has been read and was not empty, or when the first live notification arrives, or when
 * {@code limit} are collected. The wait ending or the connection closing answers with what there is.
 */
final class PollTransport implements Transport {

    /** The answer: notifications in seq order, as JSON, and the seq to poll from next. */
    record Answer(List<String> items, long cursor) {
    }

    private final int limit;
    private final List<String> items = new ArrayList<>();
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private long cursor = -1;
    private boolean live;
    private boolean timeUp;
    private volatile int closedWith;

    /** @param resuming whether the connection starts with a backlog (a {@code since} was given) */
    PollTransport(int limit, boolean resuming) {
        this.limit = limit;
        this.live = !resuming;
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
        if (position >= 0) {
            cursor = position;
        }
        if (message.isNotification()) {
            items.add(message.payload());
            // Live, answer at once: the rest of a burst is fetched by the next poll, which does not wait.
            if (live || items.size() >= limit) {
                answerNow();
            }
        } else if ("replayed".equals(message.type())) {
            live = true;
            if (!items.isEmpty()) {
                answerNow();
            }
        }
        if (timeUp && live) {
            answerNow();
        }
        return CompletableFuture.completedFuture(null);
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
