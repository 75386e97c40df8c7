package dev.herald.loadtest.worker;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A uniform sample (reservoir sampling) of the notifications that arrived since the last {@link #take}: each
 * one's id and the wall-clock instant it arrived, in microseconds since the epoch. The coordinator matches
 * them with PostgreSQL's commit timestamps, which are wall-clock, to measure commit -> deliver itself rather
 * than bound it by publish -> deliver. A bounded sample keeps what a worker ships small at any rate; a p99
 * over twenty thousand values is close enough to the whole's.
 */
final class ReceiptSample {

    private final int capacity;
    private final String[] ids;
    private final long[] micros;
    private long seen;

    ReceiptSample(int capacity) {
        this.capacity = capacity;
        this.ids = new String[capacity];
        this.micros = new long[capacity];
    }

    synchronized void offer(String id, long receivedNanos) {
        long slot = seen < capacity ? seen : ThreadLocalRandom.current().nextLong(seen + 1);
        seen++;
        if (slot < capacity) {
            ids[(int) slot] = id;
            // The monotonic instant was taken as the frame arrived, before parsing; the wall clock is read
            // beside the monotonic one now, so NTP's slewing of the wall clock cannot accumulate.
            micros[(int) slot] = receivedNanos / 1_000 + wallMinusMonotonicMicros();
        }
    }

    /** The sample since the previous call, and starts afresh. */
    synchronized Taken take() {
        int size = (int) Math.min(seen, capacity);
        Taken taken = new Taken(Arrays.copyOf(ids, size), Arrays.copyOf(micros, size), seen);
        Arrays.fill(ids, null);
        seen = 0;
        return taken;
    }

    private static long wallMinusMonotonicMicros() {
        Instant wall = Instant.now();
        long monotonic = System.nanoTime();
        return wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1_000 - monotonic / 1_000;
    }

    /** {@code ids[i]} arrived at {@code receivedMicros[i]}; {@code seen} notifications were sampled from. */
    record Taken(String[] ids, long[] receivedMicros, long seen) {
    }
}
