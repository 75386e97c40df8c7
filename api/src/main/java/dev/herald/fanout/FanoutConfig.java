package dev.herald.fanout;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;

/**
 * Cross-node fan-out settings ({@code herald.fanout.*}).
 *
 * @param transport         {@code auto}, {@code in-process}, {@code postgres} or {@code nats} (see {@link FanoutTransport})
 * @param channel           the LISTEN/NOTIFY channel; replicas of one deployment share it
 * @param reconcileInterval how often a node checks its connected users' cursors against the database, so
 *                          that a change whose message was lost (a node died between commit and NOTIFY)
 *                          still arrives
 * @param reconnectDelay    how long a node waits before it listens again after its connection dropped
 * @param natsUrl           the NATS server, when the transport is {@code nats}
 */
@ConfigurationProperties("herald.fanout")
record FanoutConfig(String transport,
                    @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") String channel,
                    Duration reconcileInterval,
                    Duration reconnectDelay,
                    String natsUrl) {
}
