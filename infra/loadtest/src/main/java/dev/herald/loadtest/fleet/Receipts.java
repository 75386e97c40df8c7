package dev.herald.loadtest.fleet;

import java.util.Map;

/**
 * A sample of the notifications the reading clients received during a phase: id -> wall-clock instant of
 * receipt in microseconds since the epoch, drawn uniformly from each worker's {@code seen} deliveries.
 */
public record Receipts(Map<String, Long> receivedMicros, long seen) {
}
