package dev.herald.notification;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Bulk publishing and publish rate limits ({@code herald.publish.*}).
 *
 * @param maxBatchItems          requests one {@code POST /api/notifications/batch} may hold; more is 413
 * @param maxRecipients          notifications one request or batch may create, a broadcast aside; more is 413
 * @param broadcastChunkSize     users per transaction of a broadcast: each chunk commits and is delivered
 *                               before the next, so a broadcast never holds one huge transaction
 * @param broadcastParallelism   broadcast chunks stored at once, each in a transaction (and a pooled
 *                               connection) of its own
 * @param writers                stores a node runs at once ({@link GroupCommit}); publishes that arrive while
 *                               all are busy queue and go together in the next
 * @param requestsPerSecond      publish requests per caller and second, with a burst of one second's worth
 *                               (0: no limit)
 * @param notificationsPerSecond notifications per caller and second (a request for 500 users counts 500),
 *                               with a burst of one second's worth but at least one full request (0: no limit)
 * @param shutdownGrace          how long a stopping node waits for the publishes it is storing to finish
 */
@ConfigurationProperties("herald.publish")
record PublishConfig(@Min(1) @Max(10_000) int maxBatchItems,
                     @Min(1) @Max(100_000) int maxRecipients,
                     @Min(1) @Max(50_000) int broadcastChunkSize,
                     @Min(1) @Max(8) int broadcastParallelism,
                     @Min(1) @Max(8) int writers,
                     @Min(0) int requestsPerSecond,
                     @Min(0) int notificationsPerSecond,
                     @NotNull Duration shutdownGrace) {
}
