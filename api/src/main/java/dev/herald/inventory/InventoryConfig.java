package dev.herald.inventory;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Inventory settings ({@code herald.inventory.*}).
 *
 * @param warningLeadTime    how long before a product expires its owner is warned ({@code product_expiring})
 * @param scheduledChecks    whether this node runs the expiry check on {@code expiryCheckCron}; off where an
 *                           outside cron job runs {@code java -jar herald.jar expiry-check} instead
 * @param expiryCheckCron    when the scheduled check runs (read by {@link ScheduledExpiryCheck})
 * @param checkBatchSize     products one check claims and notifies per round trip
 * @param checkWorkers       batches one check works on side by side
 * @param claimTimeout       how long a claim holds; a node that died mid-batch frees its rows after this
 * @param minScanConfidence  scans whose detector confidence is below this are refused with 422
 * @param defaultPageSize    products per page when the client does not ask
 * @param maxPageSize        the most products per page, whatever the client asks
 */
@ConfigurationProperties("herald.inventory")
record InventoryConfig(@NotNull Duration warningLeadTime,
                       boolean scheduledChecks,
                       @NotBlank String expiryCheckCron,
                       @Min(1) @Max(10_000) int checkBatchSize,
                       @Min(1) @Max(16) int checkWorkers,
                       @NotNull Duration claimTimeout,
                       @DecimalMin("0.0") @DecimalMax("1.0") double minScanConfidence,
                       @Min(1) int defaultPageSize,
                       @Min(1) @Max(1000) int maxPageSize) {
}
