package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.Api;
import dev.herald.HeraldServer;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one statement that reserves seqs and stores notifications, committing on its own: what it stores,
 * and that when it must not commit it stores nothing and leaves every user's seqs as they were.
 */
class NotificationStoreTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static final Content CONTENT = new Content("store-test", "title", "", Map.of(), "{}", 3, List.of(), null);
    static Api api;
    static NotificationRepository notifications;
    static ConnectionOperations<Connection> connections;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void beans() {
        api = herald.api();
        notifications = herald.bean(NotificationRepository.class);
        connections = herald.bean(ConnectionOperations.class);
    }

    @Test
    void aStoreGivesEachUsersRowsTheirNextSeqsInOrderAndLeavesOutUnknownUsers() throws Exception {
        long alice = api.createUser("store-alice");
        long bob = api.createUser("store-bob");
        long nobody = Long.MAX_VALUE - 11;
        List<NotificationRepository.NewNotification> rows = List.of(row(alice, 1, null, true), row(bob, 1, null, true),
                row(nobody, 1, null, false), row(alice, 2, null, true), row(alice, 3, null, true));

        Map<UUID, NotificationRepository.Stored> stored = store(rows);

        assertThat(stored).containsOnlyKeys(rows.get(0).id(), rows.get(1).id(), rows.get(3).id(), rows.get(4).id());
        assertThat(stored.get(rows.get(0).id()).seq()).isEqualTo(1);
        assertThat(stored.get(rows.get(3).id()).seq()).isEqualTo(2);
        assertThat(stored.get(rows.get(4).id()).seq()).isEqualTo(3);
        assertThat(stored.get(rows.get(1).id()).seq()).isEqualTo(1);
        assertThat(cursorOf(alice)).isEqualTo(3);
        assertThat(cursorOf(nobody)).isNull();
    }

    @Test
    void aStoreWithARequiredRowForAnUnknownUserStoresNothing() throws Exception {
        long carol = api.createUser("store-carol");
        store(List.of(row(carol, 1, null, true)));

        assertThatThrownBy(() -> store(List.of(row(carol, 1, null, false), row(Long.MAX_VALUE - 12, 1, null, true))))
                .isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(NotificationRepository.refusal((RuntimeException) e))
                        .contains(NotificationRepository.USER_UNKNOWN));

        assertThat(cursorOf(carol)).as("the reserved seq is given back").isEqualTo(1);
        assertThat(rowsOf(carol)).isEqualTo(1);
    }

    @Test
    void aStoreWhoseKeyWasTakenMeanwhileStoresNothingAndGivesItsSeqsBack() throws Exception {
        long dave = api.createUser("store-dave");
        long erin = api.createUser("store-erin");
        store(List.of(row(dave, 1, "taken", true)));

        // As if a concurrent request stored "taken" for dave after this one looked the key up.
        assertThatThrownBy(() -> store(List.of(row(erin, 1, "taken", false), row(dave, 1, "taken", false))))
                .isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(NotificationRepository.refusal((RuntimeException) e))
                        .contains(NotificationRepository.KEY_TAKEN));

        assertThat(cursorOf(dave)).isEqualTo(1);
        assertThat(cursorOf(erin)).as("no seq reserved for the other recipient either").isNull();
        assertThat(rowsOf(erin)).isZero();
    }

    @Test
    void aPublishInsideACallersTransactionCommitsOnItsOwnBeforeItIsDelivered() throws Exception {
        long frank = api.createUser("store-frank");
        NotificationWriter writer = herald.bean(NotificationWriter.class);
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> transactions = herald.bean(TransactionOperations.class);

        List<PublishService.PublishResult> results = transactions.executeWrite(status -> {
            List<PublishService.PublishResult> stored = writer.storeAll(List.of(Draft.of(0, 0, frank, CONTENT, null)));
            status.setRollbackOnly();
            return stored;
        });

        assertThat(results).singleElement().satisfies(result -> assertThat(result.created()).isTrue());
        assertThat(rowsOf(frank)).as("delivered at once, so it must stay stored").isEqualTo(1);
    }

    @Test
    void withTwoWritersAPublishIsStoredWhileAnotherStoreWaitsOnACursorLock() throws Exception {
        long blocker = api.createUser("store-blocker");
        long other = api.createUser("store-other");
        api.createUser("store-publisher", "publisher");
        String publisher = api.login("store-publisher", Api.PASSWORD);
        api.publish(publisher, Map.of("userId", blocker, "type", "t", "title", "makes the cursor row"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection lock = herald.db()) {
            lock.setAutoCommit(false);
            lock.createStatement().executeQuery("SELECT 1 FROM notification_cursor WHERE user_id = " + blocker
                    + " FOR UPDATE").close();
            Future<Integer> blocked = pool.submit(() ->
                    api.publish(publisher, Map.of("userId", blocker, "type", "t", "title", "waits")).status());
            CursorLocks.awaitStoreWaitingOnLock(herald);

            int meanwhile = pool.submit(() ->
                    api.publish(publisher, Map.of("userId", other, "type", "t", "title", "passes")).status())
                    .get(10, TimeUnit.SECONDS);

            assertThat(meanwhile).isEqualTo(201);
            assertThat(blocked).isNotDone();
            lock.commit();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(201);
        } finally {
            pool.shutdown();
        }
        assertThat(cursorOf(blocker)).isEqualTo(2);
    }

    private static NotificationRepository.NewNotification row(long userId, int ordinal, String key, boolean required) {
        return new NotificationRepository.NewNotification(UUID.randomUUID(), 0, userId, ordinal, CONTENT, key,
                key == null ? null : new byte[32], required);
    }

    private static Map<UUID, NotificationRepository.Stored> store(List<NotificationRepository.NewNotification> rows) {
        return connections.executeWrite(status -> notifications.store(new ArrayList<>(rows)));
    }

    private static Long cursorOf(long userId) throws SQLException {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT last_seq FROM notification_cursor WHERE user_id = ?")) {
            query.setLong(1, userId);
            ResultSet rs = query.executeQuery();
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static long rowsOf(long userId) throws SQLException {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM notification WHERE user_id = ?")) {
            query.setLong(1, userId);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }
}
