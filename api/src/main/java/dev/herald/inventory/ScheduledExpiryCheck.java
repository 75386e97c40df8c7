package dev.herald.inventory;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the expiry check on every node on {@code herald.inventory.expiry-check-cron}. Nodes need not take
 * turns: concurrent checks split the due products between them and never notify twice (see
 * {@link ExpiryCheck}). Off with {@code herald.inventory.scheduled-checks=false}.
 */
@Singleton
@Requires(property = "herald.inventory.scheduled-checks", notEquals = "false")
final class ScheduledExpiryCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledExpiryCheck.class);

    private final ExpiryCheck check;

    ScheduledExpiryCheck(ExpiryCheck check) {
        this.check = check;
    }

    @Scheduled(cron = "${herald.inventory.expiry-check-cron:0 * * * * *}")
    void run() {
        try {
            ExpiryCheck.Summary summary = check.run();
            if (summary.warned() + summary.expired() > 0) {
                LOG.info("Expiry check: {} warned, {} expired in {} ms", summary.warned(), summary.expired(),
                        summary.durationMs());
            }
        } catch (RuntimeException e) {
            // The next run picks up whatever this one left; the schedule must go on.
            LOG.warn("Expiry check failed; the next run retries", e);
        }
    }
}
