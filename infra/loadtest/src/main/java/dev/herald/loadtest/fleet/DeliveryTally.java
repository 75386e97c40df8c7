package dev.herald.loadtest.fleet;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What all workers' connections received, summed over reports: counts and the merged latency histogram. */
public final class DeliveryTally {

    private final Histogram latencyMicros = new Histogram(3);
    private final Map<Integer, Long> closeCodes = new HashMap<>();
    private long open;
    private long delivered;
    private long stalledDelivered;
    private long duplicates;
    private long gaps;
    private long errors;
    private long pings;
    private long lastDeliveryNanos;

    void add(long open, long delivered, long stalledDelivered, long duplicates, long gaps, long errors, long pings,
             Map<Integer, Long> closeCodes, long lastDeliveryNanos, Histogram histogram) {
        this.open += open;
        this.delivered += delivered;
        this.stalledDelivered += stalledDelivered;
        this.duplicates += duplicates;
        this.gaps += gaps;
        this.errors += errors;
        this.pings += pings;
        closeCodes.forEach((code, count) -> this.closeCodes.merge(code, count, Long::sum));
        this.lastDeliveryNanos = Math.max(this.lastDeliveryNanos, lastDeliveryNanos);
        latencyMicros.add(histogram);
    }

    /** Adds a later interval; the open-connection count is a level, not a sum over time, so it is replaced. */
    public void addInterval(DeliveryTally later) {
        long openNow = later.open;
        add(0, later.delivered, later.stalledDelivered, later.duplicates, later.gaps, later.errors, later.pings,
                later.closeCodes, later.lastDeliveryNanos, later.latencyMicros);
        this.open = openNow;
    }

    public long open() {
        return open;
    }

    public long delivered() {
        return delivered;
    }

    public long stalledDelivered() {
        return stalledDelivered;
    }

    public long duplicates() {
        return duplicates;
    }

    public long gaps() {
        return gaps;
    }

    public long errors() {
        return errors;
    }

    public long pings() {
        return pings;
    }

    public long closed() {
        return closeCodes.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<Integer, Long> closeCodes() {
        return Map.copyOf(closeCodes);
    }

    public long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    public Histogram latencyMicros() {
        return latencyMicros;
    }

    /** A percentile of publish -> deliver, in milliseconds; NaN when nothing was recorded. */
    public double latencyMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxLatencyMillis() {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
    }
}
