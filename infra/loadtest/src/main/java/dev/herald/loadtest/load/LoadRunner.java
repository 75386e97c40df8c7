package dev.herald.loadtest.load;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Sends a load of requests to Herald in one of two ways. Open loop: at a fixed rate whatever the server
 * does, each request stamped with its intended start, so queueing behind a slow server counts in the
 * latency (no coordinated omission). Closed loop: a fixed number of requests in flight, each sent when the
 * previous one was answered: what the server sustains at most.
 */
public final class LoadRunner implements AutoCloseable {

    private final NettyHttpLoadClient http;

    public LoadRunner(java.net.URI base) {
        this.http = new NettyHttpLoadClient(base);
    }

    @Override
    public void close() {
        http.close();
    }

    public LoadOutcome openLoop(RequestPlan plan, double requestsPerSecond, Duration duration, int maxInFlight) {
        Tracker tracker = new Tracker();
        long interval = Math.round(1e9 / requestsPerSecond);
        OpenSchedule schedule = new OpenSchedule(plan, interval, duration, maxInFlight, tracker);
        http.eventLoop().execute(schedule::begin);
        return tracker.outcome(schedule.finished.join());
    }

    /** Requests of {@code duration} at one every {@code interval}: the ones whose intended start falls inside it. */
    static long scheduled(long interval, Duration duration) {
        return (duration.toNanos() + interval - 1) / interval;
    }

    /**
     * The open loop's schedule, run on the client's event loop: each turn sends every request whose intended
     * start has come, then sets a timer for the next. Sending from the thread that owns the connections
     * writes at once, with no hand-over and no wake-up of another thread per request, so the generator
     * takes less of the CPU it shares with the server. All its state is confined to that one thread.
     */
    private final class OpenSchedule {
        private final RequestPlan plan;
        private final long interval;
        private final Duration duration;
        private final int maxInFlight;
        private final Tracker tracker;
        private final CompletableFuture<Duration> finished = new CompletableFuture<>();
        private long start;
        private long end;
        private long sent;
        private int inFlight;
        private boolean waitingForAnswer;
        private boolean over;

        OpenSchedule(RequestPlan plan, long interval, Duration duration, int maxInFlight, Tracker tracker) {
            this.plan = plan;
            this.interval = interval;
            this.duration = duration;
            this.maxInFlight = maxInFlight;
            this.tracker = tracker;
        }

        /** The clock starts when the event loop does, not when the run was asked for: a cold loop loses none. */
        void begin() {
            start = System.nanoTime();
            end = start + duration.toNanos();
            sendDue();
        }

        void sendDue() {
            waitingForAnswer = false;
            long now = System.nanoTime();
            while (!over) {
                long intended = start + sent * interval;
                // A server slower than the rate leaves requests unsent when the time is up: sending them late
                // would only stretch the run. Each has waited since its intended start, and is counted so.
                if (intended >= end || now >= end) {
                    over = true;
                    for (long unsent = sent, scheduled = scheduled(interval, duration); unsent < scheduled; unsent++) {
                        tracker.unsent(now - (start + unsent * interval));
                    }
                    finishWhenAnswered();
                    return;
                }
                if (intended > now) {
                    http.eventLoop().schedule(this::sendDue, intended - now, TimeUnit.NANOSECONDS);
                    return;
                }
                if (inFlight == maxInFlight) {
                    waitingForAnswer = true; // the next answer carries on
                    return;
                }
                sent++;
                inFlight++;
                send(plan.next(intended), intended, tracker)
                        .whenComplete((answer, error) -> onEventLoop(this::answered));
            }
        }

        private void answered() {
            inFlight--;
            if (over) {
                finishWhenAnswered();
            } else if (waitingForAnswer) {
                sendDue();
            }
        }

        private void finishWhenAnswered() {
            if (inFlight == 0) {
                finished.complete(Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    public LoadOutcome closedLoop(RequestPlan plan, int concurrency, Duration duration) {
        Tracker tracker = new Tracker();
        ClosedLoop loop = new ClosedLoop(plan, concurrency, duration, tracker);
        http.eventLoop().execute(loop::begin);
        return tracker.outcome(loop.finished.join());
    }

    /**
     * {@code concurrency} chains of requests on the client's event loop, each sending its next request when
     * the previous one is answered, until the time is up; confined to that thread, as {@link OpenSchedule}.
     */
    private final class ClosedLoop {
        private final RequestPlan plan;
        private final int concurrency;
        private final Duration duration;
        private final Tracker tracker;
        private final CompletableFuture<Duration> finished = new CompletableFuture<>();
        private long start;
        private long end;
        private int running;
        private long lastAnswer;

        ClosedLoop(RequestPlan plan, int concurrency, Duration duration, Tracker tracker) {
            this.plan = plan;
            this.concurrency = concurrency;
            this.duration = duration;
            this.tracker = tracker;
        }

        void begin() {
            start = System.nanoTime();
            end = start + duration.toNanos();
            lastAnswer = start;
            running = concurrency;
            for (int i = 0; i < concurrency; i++) {
                next();
            }
        }

        private void next() {
            long now = System.nanoTime();
            if (now >= end) {
                if (--running == 0) {
                    finished.complete(Duration.ofNanos(lastAnswer - start));
                }
                return;
            }
            send(plan.next(now), now, tracker).whenComplete((answer, error) -> onEventLoop(this::answered));
        }

        private void answered() {
            lastAnswer = Math.max(lastAnswer, System.nanoTime());
            next();
        }
    }

    /** Runs {@code step} on the client's event loop, where the loops' state lives; answers mostly arrive there. */
    private void onEventLoop(Runnable step) {
        if (http.eventLoop().inEventLoop()) {
            step.run();
        } else {
            http.eventLoop().execute(step);
        }
    }

    private CompletableFuture<HttpAnswer> send(PlannedRequest request, long intendedNanos, Tracker tracker) {
        return http.send(request).whenComplete((answer, error) -> tracker.answered(answer, error, intendedNanos));
    }

    /** Counts answers from many completion threads. */
    private static final class Tracker {
        private final LongAdder requests = new LongAdder();
        private final LongAdder succeeded = new LongAdder();
        private final LongAdder unsent = new LongAdder();
        private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        private final Recorder responseMicros = new Recorder(3);
        private final AtomicReference<String> firstFailure = new AtomicReference<>("");

        void answered(HttpAnswer answer, Throwable error, long intendedNanos) {
            requests.increment();
            int status = answer == null ? -1 : answer.status();
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            if (answer != null && answer.succeeded()) {
                succeeded.increment();
                responseMicros.recordValue(Math.max(0, (System.nanoTime() - intendedNanos) / 1000));
            } else {
                firstFailure.compareAndSet("", answer == null ? String.valueOf(error) : status + " " + answer.errorBody());
            }
        }

        void unsent(long waitedNanos) {
            unsent.increment();
            responseMicros.recordValue(Math.max(0, waitedNanos / 1000));
        }

        LoadOutcome outcome(Duration elapsed) {
            Map<Integer, Long> counted = new HashMap<>();
            statuses.forEach((status, count) -> counted.put(status, count.sum()));
            return new LoadOutcome(requests.sum(), succeeded.sum(), unsent.sum(), counted, elapsed,
                    responseMicros.getIntervalHistogram(), firstFailure.get());
        }
    }
}
