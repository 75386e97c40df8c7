package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent publishes, single or batched, are stored together. The test holds a lock on one user's cursor so
 * that the publish to that user, holding the writer, waits; the publishes that arrive meanwhile queue up and
 * must then be stored in one statement (one {@code xmin}), each with its own outcome.
 */
class GroupCommitTest {

    /** One writer, so that the blocked publish holds them all and the others must queue. */
    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.publish.writers", "1"));
    static Api api;
    static String publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        api.createUser("group-publisher", "publisher");
        publisher = api.login("group-publisher", Api.PASSWORD);
    }

    @Test
    void publishesThatArriveWhileATransactionRunsAreStoredInTheNextOneTogether() throws Exception {
        api.createUser("blocker-1");
        List<String> readers = users("together-", 10);
        publish("blocker-1", "unblocks the cursor row", null);

        Map<String, Integer> statuses = publishWhileBlocked("blocker-1", readers, Map.of());

        assertThat(statuses.values()).containsOnly(201);
        assertThat(transactionsOf(readers)).isEqualTo(1);
        for (String reader : readers) {
            assertThat(seqsOf(reader)).containsExactly(1L);
        }
    }

    @Test
    void aConflictingKeyInAGroupFailsOnlyItsOwnRequest() throws Exception {
        api.createUser("blocker-2");
        List<String> readers = users("mixed-", 5);
        publish("blocker-2", "unblocks the cursor row", null);
        publish(readers.get(2), "original", "key-2");

        Map<String, Integer> statuses = publishWhileBlocked("blocker-2", readers, Map.of(readers.get(2), "key-2"));

        assertThat(statuses).containsEntry(readers.get(2), 409);
        assertThat(statuses).containsEntry(readers.get(0), 201).containsEntry(readers.get(1), 201)
                .containsEntry(readers.get(3), 201).containsEntry(readers.get(4), 201);
        assertThat(seqsOf(readers.get(2))).containsExactly(1L);
        assertThat(transactionsOf(List.of(readers.get(0), readers.get(1), readers.get(3), readers.get(4)))).isEqualTo(1);
    }

    @Test
    void anUnknownUserIdInAGroupGets404AndTheOthersAreStoredTogether() throws Exception {
        api.createUser("blocker-3");
        List<String> readers = users("among-unknown-", 4);
        publish("blocker-3", "unblocks the cursor row", null);
        String nobody = "#" + (Long.MAX_VALUE - 7);
        List<String> recipients = new ArrayList<>(readers);
        recipients.add(2, nobody);

        Map<String, Integer> statuses = publishWhileBlocked("blocker-3", recipients, Map.of());

        assertThat(statuses).containsEntry(nobody, 404);
        readers.forEach(reader -> assertThat(statuses).containsEntry(reader, 201));
        assertThat(transactionsOf(readers)).as("one transaction, not one each after a failed group").isEqualTo(1);
        assertThat(single("SELECT count(*) FROM notification_cursor WHERE user_id = " + (Long.MAX_VALUE - 7))).isZero();
    }

    @Test
    void batchesAndSinglePublishesQueuedTogetherShareOneStatementAndABadBatchFailsAlone() throws Exception {
        api.createUser("blocker-4");
        List<String> readers = users("batched-", 4);
        publish("blocker-4", "unblocks the cursor row", null);
        long unknown = Long.MAX_VALUE - 9;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Connection lock = herald.db()) {
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement("SELECT 1 FROM notification_cursor c"
                    + " JOIN app_user u ON u.id = c.user_id WHERE u.username = 'blocker-4' FOR UPDATE")) {
                select.executeQuery().close();
            }
            Future<Integer> blocked = pool.submit(() -> publish("blocker-4", "waits for the lock", null));
            CursorLocks.awaitStoreWaitingOnLock(herald);
            Future<Integer> batch = pool.submit(() -> api.post("/api/notifications/batch", publisher, List.of(
                    Map.of("username", readers.get(0), "type", "t", "title", "batch one"),
                    Map.of("username", readers.get(1), "type", "t", "title", "batch two"))).status());
            Future<Integer> badBatch = pool.submit(() -> api.post("/api/notifications/batch", publisher, List.of(
                    Map.of("username", readers.get(2), "type", "t", "title", "stored with nothing else"),
                    Map.of("userId", unknown, "type", "t", "title", "to no one"))).status());
            Future<Integer> single = pool.submit(() -> publish(readers.get(3), "single", null));
            Thread.sleep(Duration.ofMillis(700)); // time for every request to reach the queue
            lock.commit();

            assertThat(blocked.get()).isEqualTo(201);
            assertThat(batch.get()).isEqualTo(201);
            assertThat(single.get()).isEqualTo(201);
            assertThat(badBatch.get()).isEqualTo(400);
        } finally {
            pool.shutdown();
        }
        assertThat(transactionsOf(List.of(readers.get(0), readers.get(1), readers.get(3)))).isEqualTo(1);
        assertThat(seqsOf(readers.get(2))).as("the bad batch stored nothing").isEmpty();
        assertThat(single("SELECT count(*) FROM notification_cursor WHERE user_id = " + unknown)).isZero();
    }

    /**
     * Locks the blocker's cursor row, publishes to the blocker (whose transaction then waits, holding the
     * writer), publishes to each reader meanwhile, then lets go. Returns each reader's status.
     */
    private static Map<String, Integer> publishWhileBlocked(String blocker, List<String> readers,
                                                            Map<String, String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers.size() + 1);
        try (Connection lock = herald.db()) {
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement("SELECT 1 FROM notification_cursor c"
                    + " JOIN app_user u ON u.id = c.user_id WHERE u.username = ? FOR UPDATE")) {
                select.setString(1, blocker);
                select.executeQuery().close();
            }
            Future<Integer> blocked = pool.submit(() -> publish(blocker, "waits for the lock", null));
            CursorLocks.awaitStoreWaitingOnLock(herald);
            Map<String, Future<Integer>> queued = new HashMap<>();
            for (String reader : readers) {
                queued.put(reader, pool.submit(() -> publish(reader, "queued", keys.get(reader))));
            }
            Thread.sleep(Duration.ofMillis(700)); // time for every request to reach the queue
            lock.commit();
            assertThat(blocked.get()).isEqualTo(201);
            Map<String, Integer> statuses = new HashMap<>();
            for (var entry : queued.entrySet()) {
                statuses.put(entry.getKey(), entry.getValue().get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    /** Publishes to a user by name, or by id when the name is {@code #<id>}. */
    private static int publish(String username, String title, String key) {
        Map<String, Object> request = username.startsWith("#")
                ? Map.of("userId", Long.parseLong(username.substring(1)), "type", "t", "title", title)
                : Map.of("username", username, "type", "t", "title", title);
        return key == null
                ? api.publish(publisher, request).status()
                : api.post("/api/notifications", publisher, request, Map.of("Idempotency-Key", key)).status();
    }

    private static List<String> users(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            api.createUser(prefix + i);
            names.add(prefix + i);
        }
        return names;
    }

    /** How many transactions stored the users' notifications ({@code xmin} is the inserting transaction). */
    private static long transactionsOf(List<String> usernames) throws SQLException {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT count(DISTINCT n.xmin::text) FROM notification n JOIN app_user u ON u.id = n.user_id"
                        + " WHERE u.username = ANY (?)")) {
            query.setArray(1, db.createArrayOf("text", usernames.toArray()));
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long single(String sql) throws SQLException {
        try (Connection db = herald.db(); ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Long> seqsOf(String username) throws SQLException {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT n.seq FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = ? ORDER BY n.seq")) {
            query.setString(1, username);
            ResultSet rs = query.executeQuery();
            List<Long> seqs = new ArrayList<>();
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
            return seqs;
        }
    }
}
