package dev.herald.ops;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Operational settings ({@code herald.ops.*}).
 *
 * @param embeddedDataDir where the embedded PostgreSQL keeps its data when no datasource URL is
 *                        configured; defaults to the user's data directory (see {@link UserDataDirectory})
 * @param accessLog       whether to log each request (see {@link AccessLog})
 */
@ConfigurationProperties("herald.ops")
record OpsConfig(@Nullable String embeddedDataDir, boolean accessLog) {
}
