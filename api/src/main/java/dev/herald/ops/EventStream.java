package dev.herald.ops;

import io.micronaut.http.sse.Event;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The body of one server-sent-events response. Events are offered from any thread and handed to the
 * response only as fast as it asks for them (Reactive Streams demand, which Micronaut ties to the socket
 * being writable), so a reader that stops reading holds up its own stream and nothing else; whoever
 * offers events sees that in the futures {@link #send} returns. Micronaut frames each {@link Event}
 * ({@code id:}, {@code event:}, {@code retry:}, {@code data:}, comments).
 *
 * <p>One subscriber only: a response is written once.
 */
public final class EventStream implements Publisher<Event<String>> {

    /** A heartbeat: a comment line, which EventSource ignores and proxies see as traffic. */
    public static final Event<String> HEARTBEAT = Event.of("").comment("heartbeat");

    private record Pending(Event<String> event, CompletableFuture<Void> written) {
    }

    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger drains = new AtomicInteger();
    private final AtomicReference<Subscriber<? super Event<String>>> subscriber = new AtomicReference<>();
    private final Runnable onCancel;
    private volatile boolean completing;
    private volatile boolean cancelled;
    private volatile boolean completed;

    /** @param onCancel runs once when the response goes away before the stream ended (client left) */
    public EventStream(Runnable onCancel) {
        this.onCancel = onCancel;
    }

    /** Queues an event; the future completes when the response took it, and fails if it never will. */
    public CompletableFuture<Void> send(Event<String> event) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (completing || cancelled) {
            written.completeExceptionally(new IllegalStateException("The event stream has ended"));
            return written;
        }
        pending.add(new Pending(event, written));
        drain();
        return written;
    }

    /** Ends the stream once what was queued has been taken. */
    public void complete() {
        completing = true;
        drain();
    }

    /**
     * Ends the stream now: drops what is still queued (the client resumes from its last event id) and
     * sends {@code last} if the response can take it at once.
     */
    public void close(Event<String> last) {
        if (completing || cancelled) {
            return;
        }
        completing = true;
        Pending dropped;
        while ((dropped = pending.poll()) != null) {
            dropped.written().completeExceptionally(new IllegalStateException("The event stream was closed"));
        }
        if (demand.get() > 0) {
            pending.add(new Pending(last, new CompletableFuture<>()));
        }
        drain();
    }

    /** False once the stream ended or its response went away. */
    public boolean isOpen() {
        return !completed && !cancelled;
    }

    @Override
    public void subscribe(Subscriber<? super Event<String>> candidate) {
        if (!subscriber.compareAndSet(null, candidate)) {
            candidate.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            candidate.onError(new IllegalStateException("An event stream has one subscriber"));
            return;
        }
        candidate.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    cancel();
                    return;
                }
                demand.accumulateAndGet(n, (current, added) -> current + added < 0 ? Long.MAX_VALUE : current + added);
                drain();
            }

            @Override
            public void cancel() {
                if (!cancelled) {
                    cancelled = true;
                    drain();
                    if (!completed) {
                        onCancel.run();
                    }
                }
            }
        });
        drain();
    }

    /** Emits what the subscriber asked for; one thread at a time, as Reactive Streams requires. */
    private void drain() {
        if (drains.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Subscriber<? super Event<String>> target = subscriber.get();
            if (target != null && !completed) {
                if (cancelled) {
                    Pending dropped;
                    while ((dropped = pending.poll()) != null) {
                        dropped.written().completeExceptionally(new IllegalStateException("The client went away"));
                    }
                } else {
                    Pending next;
                    while (demand.get() > 0 && (next = pending.poll()) != null) {
                        demand.decrementAndGet();
                        target.onNext(next.event());
                        next.written().complete(null);
                    }
                    if (completing && pending.isEmpty()) {
                        completed = true;
                        target.onComplete();
                    }
                }
            }
            missed = drains.addAndGet(-missed);
        } while (missed != 0);
    }
}
