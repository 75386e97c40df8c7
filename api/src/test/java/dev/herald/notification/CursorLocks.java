package dev.herald.notification;

import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

/** For tests that hold a user's cursor row locked: waits until a store is blocked on it. */
final class CursorLocks {

    private CursorLocks() {
    }

    static void awaitStoreWaitingOnLock(HeraldServer herald) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection db = herald.db(); ResultSet rs = db.createStatement().executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE '%notification_cursor%' AND datname = current_database()")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The blocked publish never waited on the cursor lock");
    }
}
