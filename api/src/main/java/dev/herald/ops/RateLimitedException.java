package dev.herald.ops;

import java.time.Duration;

/** A caller went over a rate limit: answered with 429 and Retry-After (whole seconds, rounded up). */
public final class RateLimitedException extends RuntimeException {

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
