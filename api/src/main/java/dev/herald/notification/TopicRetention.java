package dev.herald.notification;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes topic messages older than {@code herald.notification.topic-retention}, when it is set. Every node
 * sweeps; the deletes are idempotent, so several replicas only share the work.
 */
@Singleton
final class TopicRetention {

    private static final Logger LOG = LoggerFactory.getLogger(TopicRetention.class);

    private final TopicService topics;
    private final NotificationConfig config;

    TopicRetention(TopicService topics, NotificationConfig config) {
        this.topics = topics;
        this.config = config;
    }

    @Scheduled(fixedDelay = "${herald.notification.topic-retention-sweep:1h}",
            initialDelay = "${herald.notification.topic-retention-sweep:1h}")
    void sweep() {
        if (config.topicRetention().isZero() || config.topicRetention().isNegative()) {
            return;
        }
        try {
            long deleted = topics.deleteOlderThan(config.topicRetention());
            if (deleted > 0) {
                LOG.info("Deleted {} topic messages older than {}", deleted, config.topicRetention());
            }
        } catch (RuntimeException e) {
            LOG.warn("Topic retention sweep failed; the next one will try again", e);
        }
    }
}
