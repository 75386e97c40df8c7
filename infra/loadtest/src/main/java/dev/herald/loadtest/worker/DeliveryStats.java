package dev.herald.loadtest.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one worker's connections saw since the last report. Written from the event loop, read and reset by
 * the command thread: HdrHistogram's {@link Recorder} hands over interval histograms without locks.
 */
final class DeliveryStats {

    /** publish -> deliver in microseconds, from the {@code data.t} stamp (System.nanoTime of the intended send). */
    private final Recorder latency = new Recorder(3);
    /** What a worker ships per phase for commit -> deliver: a p99 over this many is within a few percent. */
    private final ReceiptSample receipts = new ReceiptSample(20_000);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder stalledDelivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder pings = new LongAdder();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final LongAdder open = new LongAdder();

    void delivered(String id, long stampNanos, long nowNanos, boolean stalled) {
        if (stalled) {
            stalledDelivered.increment();
        } else {
            delivered.increment();
            receipts.offer(id, nowNanos);
            if (stampNanos != 0) {
                latency.recordValue(Math.max(0, (nowNanos - stampNanos) / 1_000));
            }
            lastDeliveryNanos.accumulateAndGet(nowNanos, Math::max);
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    void gap(long missing) {
        gaps.add(missing);
    }

    void error() {
        errors.increment();
    }

    void ping() {
        pings.increment();
    }

    void opened() {
        open.increment();
    }

    void closed(int code) {
        open.decrement();
        closeCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** A sample of the reading clients' receipts since the previous call, and starts sampling afresh. */
    ReceiptSample.Taken takeReceipts() {
        return receipts.take();
    }

    /** Everything since the previous call, and starts counting afresh. */
    Interval takeInterval() {
        Histogram histogram = latency.getIntervalHistogram();
        Map<Integer, Long> codes = new HashMap<>();
        closeCodes.forEach((code, count) -> codes.put(code, count.sumThenReset()));
        return new Interval(open.sum(), delivered.sumThenReset(), stalledDelivered.sumThenReset(),
                duplicates.sumThenReset(), gaps.sumThenReset(), errors.sumThenReset(), pings.sumThenReset(),
                codes, lastDeliveryNanos.getAndSet(0), histogram);
    }

    /** {@code lastDeliveryNanos}: the last delivery to a reading client in this interval; 0 when there was none. */
    record Interval(long open, long delivered, long stalledDelivered, long duplicates, long gaps, long errors,
                    long pings, Map<Integer, Long> closeCodes, long lastDeliveryNanos, Histogram latencyMicros) {
    }
}
