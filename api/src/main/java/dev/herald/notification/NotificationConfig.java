package dev.herald.notification;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Notification settings ({@code herald.notification.*}).
 *
 * @param defaultPageSize history items per page when the client does not ask
 * @param maxPageSize     the most a client gets per page, whatever it asks
 * @param maxDataBytes    the largest {@code data} object accepted, as JSON
 * @param maxTags         the most tags one notification may carry
 * @param topicRetention  how long topic messages are kept; zero keeps them for ever
 * @param topicRetentionSweep how often each node deletes topic messages older than that
 */
@ConfigurationProperties("herald.notification")
record NotificationConfig(@Min(1) int defaultPageSize,
                          @Min(1) @Max(1000) int maxPageSize,
                          @Min(2) int maxDataBytes,
                          @Min(0) int maxTags,
                          Duration topicRetention,
                          Duration topicRetentionSweep) {
}
