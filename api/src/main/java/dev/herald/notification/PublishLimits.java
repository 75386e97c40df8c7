package dev.herald.notification;

import dev.herald.ops.RateLimitedException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-caller publish rate limits: token buckets of requests and of the notifications they ask for, each
 * refilled at its rate per second and holding one second's worth. Kept in memory per node, which is
 * enough for what they are for (one runaway publisher must not starve the others): with several replicas
 * a caller gets each node's limit. Only publishers and admins reach them, so the map stays small.
 */
@Singleton
final class PublishLimits {

    private record Buckets(@Nullable Bucket requests, @Nullable Bucket notifications) {
    }

    private final PublishConfig config;
    private final Map<Long, Buckets> byCaller = new ConcurrentHashMap<>();

    PublishLimits(PublishConfig config) {
        this.config = config;
    }

    /**
     * Takes one request and {@code notifications} notifications from the caller's allowance.
     *
     * @throws RateLimitedException when either is used up, saying when to try again
     */
    void admit(long callerId, long notifications) {
        Buckets buckets = byCaller.computeIfAbsent(callerId, id -> new Buckets(
                bucket(config.requestsPerSecond(), config.requestsPerSecond()),
                // a bucket smaller than one allowed request would refuse that request for ever
                bucket(config.notificationsPerSecond(), Math.max(config.notificationsPerSecond(), config.maxRecipients()))));
        take(buckets.requests(), 1, "at most " + config.requestsPerSecond() + " publish requests per second");
        if (notifications > 0) {
            take(buckets.notifications(), notifications,
                    "at most " + config.notificationsPerSecond() + " notifications per second");
        }
    }

    private static void take(@Nullable Bucket bucket, long tokens, String limit) {
        if (bucket == null) {
            return;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
        if (!probe.isConsumed()) {
            throw new RateLimitedException("Publish rate limit: " + limit + " per caller",
                    Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    private static @Nullable Bucket bucket(int perSecond, long capacity) {
        if (perSecond == 0) {
            return null;
        }
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }
}
