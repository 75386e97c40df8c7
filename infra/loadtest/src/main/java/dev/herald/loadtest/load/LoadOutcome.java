package dev.herald.loadtest.load;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a load sent: requests answered 2xx and not, by status, over how long, and the response time of each
 * one answered 2xx (from its intended start, so a stalled server shows up in the open-loop figures). An
 * open loop that could not keep its rate leaves {@code unsent} requests when the time is up; each is in
 * {@code responseMicros} too, at the time it had waited by then (a lower bound of what it would have taken).
 * Failed answers are left out of it, so a fast error cannot pass for a fast answer: they are counted by status.
 */
public record LoadOutcome(long requests, long succeeded, long unsent, Map<Integer, Long> statuses, Duration elapsed,
                          Histogram responseMicros, String firstFailure) {

    public long failed() {
        return requests - succeeded;
    }

    public double requestsPerSecond() {
        return succeeded / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    /**
     * Why this open loop's latency does not stand for the rate it was asked for, or null when it does: more
     * than 0.1% of the scheduled requests unsent (the slowest ones, missing), or any failed.
     */
    public String notComparable() {
        if (unsent > (requests + unsent) / 1000) {
            return unsent + " requests unsent";
        }
        return failed() > 0 ? failed() + " requests failed" : null;
    }

    public double responseMillis(double percentile) {
        return responseMicros.getTotalCount() == 0 ? Double.NaN : responseMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}
