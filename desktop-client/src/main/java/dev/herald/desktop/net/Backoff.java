package dev.herald.desktop.net;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of min(cap, base * 2^n).
 * The jitter spreads out the clients a server restart disconnected all at once; the half that is not random
 * keeps a client from hammering a server that is still down.
 *
 * @param jitter values in [0, 1); tests pass a fixed or seeded source
 */
public record Backoff(Duration base, Duration cap, DoubleSupplier jitter) {

    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Math::random);
    }

    public Duration delay(int attempt) {
        long ceiling = cap.toMillis();
        long exponential = base.toMillis() << Math.min(attempt, 30);
        long full = exponential <= 0 ? ceiling : Math.min(ceiling, exponential);
        long half = full / 2;
        return Duration.ofMillis(half + (long) (jitter.getAsDouble() * (full - half)));
    }
}
