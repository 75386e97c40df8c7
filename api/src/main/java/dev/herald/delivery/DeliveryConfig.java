package dev.herald.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;

/**
 * Live-connection settings ({@code herald.delivery.*}).
 *
 * @param pingInterval          how often the server pings a connection it has not heard from: the interval
 *                              and a random 0 to 25 % of it after the last ping
 * @param pongTimeout           how long after the latest a ping can be due a silent connection is closed and forgotten
 * @param sweepInterval         how often connections are checked for pings, silence and expired tokens
 * @param maxConnectionsPerUser more are refused with close code 4029
 * @param maxInboundPerSecond   client messages per connection per second; more get an {@code error};
 *                              five times more, or more for three seconds running, close it (1008)
 * @param maxQueuedMessages     messages queued or in flight to one connection before it is closed with 4008
 * @param maxQueuedBytes        the same, in bytes
 * @param maxFrameBytes         the largest client frame; larger ones (or fragmented messages adding up to
 *                              more) close the connection with 1009; at most 65536
 * @param allowedOrigins        browser origins allowed to connect, besides the server's own
 * @param replayBatchSize       notifications read from the database per batch when a client resumes
 * @param shutdownGrace         how long shutdown waits for queued messages to be flushed
 * @param sseRetry              the reconnection delay SSE clients are told ({@code retry:})
 * @param maxPollWait           the longest a long-poll waits; longer {@code wait}s are cut to this
 * @param maxSubscriptions      topics one connection may read; more get an {@code error} (WebSocket) or a 400 (SSE)
 */
@ConfigurationProperties("herald.delivery")
record DeliveryConfig(Duration pingInterval,
                      Duration pongTimeout,
                      Duration sweepInterval,
                      @Min(1) int maxConnectionsPerUser,
                      @Min(1) int maxInboundPerSecond,
                      @Min(1) int maxQueuedMessages,
                      @Min(1024) long maxQueuedBytes,
                      @Min(128) @Max(65536) int maxFrameBytes,
                      List<String> allowedOrigins,
                      @Min(1) int replayBatchSize,
                      Duration shutdownGrace,
                      Duration sseRetry,
                      Duration maxPollWait,
                      @Min(1) int maxSubscriptions) {
}
