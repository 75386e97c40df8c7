package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;

/**
 * Which slice of a user's history to read. With {@code after} the page holds the items right after that
 * seq (paging towards newer ones); otherwise the newest items before {@code before} (or the newest of all).
 */
record HistoryQuery(@Nullable Long after, @Nullable Long before, int limit, boolean unreadOnly,
                    @Nullable String type) {

    boolean towardsNewer() {
        return after != null && before == null;
    }
}
