package dev.herald.notification;

import static dev.herald.WsClient.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BulkPublishTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static String publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        api.createUser("bulk-publisher", "publisher");
        publisher = api.login("bulk-publisher", Api.PASSWORD);
    }

    @Test
    void batchOfAThousandForAHundredUsersGivesEachUserGapFreeSeqsInRequestOrder() throws Exception {
        List<String> users = createUsers("hundred-", 100);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(Map.of("username", users.get(i % 100), "type", "batch", "title", "item " + i,
                    "data", Map.of("i", i)));
        }
        try (WsClient device = WsClient.withToken(api, api.login(users.get(7), Api.PASSWORD))) {
            device.next("connected");

            Api.Response response = api.post("/api/notifications/batch", publisher, batch);

            assertThat(response.status()).as(response.body()).isEqualTo(201);
            assertThat(response.json()).containsEntry("created", 1000).containsEntry("replayed", 0);
            List<Map<String, Object>> items = response.items();
            assertThat(items).extracting(item -> item.get("index")).containsExactlyElementsOf(
                    IntStream.range(0, 1000).boxed().toList());
            for (int i = 0; i < 1000; i++) {
                assertThat(items.get(i)).containsEntry("seq", i / 100 + 1).containsEntry("created", true);
            }
            for (String user : users) {
                List<String> titles = titlesBySeq(user);
                int first = users.indexOf(user);
                assertThat(titles).containsExactlyElementsOf(
                        IntStream.range(0, 10).mapToObj(k -> "item " + (first + 100 * k)).toList());
            }
            List<Long> delivered = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                delivered.add(seq(device.next("notification")));
            }
            assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(device.drain(Duration.ofMillis(300))).noneMatch(m -> "notification".equals(m.get("type")));
        }
    }

    @Test
    void batchWithInvalidItemsStoresNothingAndNamesEachBadIndex() throws Exception {
        List<String> users = createUsers("invalid-", 3);
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(Map.of("username", users.get(0), "type", "t", "title", "fine"));
        batch.add(Map.of("username", users.get(1), "type", "t"));
        batch.add(Map.of("username", users.get(2), "type", "t", "title", "fine too"));
        batch.add(Map.of("username", "nobody-by-this-name", "type", "t", "title", "to no one"));
        batch.add(Map.of("username", users.get(0), "type", "t", "title", "bad priority", "priority", 9));

        Api.Response response = api.post("/api/notifications/batch", publisher, batch);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(errors(response)).extracting(e -> e.get("index"), e -> e.get("field"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, "title"),
                        org.assertj.core.groups.Tuple.tuple(3, "username"),
                        org.assertj.core.groups.Tuple.tuple(4, "priority"));
        assertThat((String) response.json().get("detail")).contains("[1].title", "[3].username", "[4].priority");
        for (String user : users) {
            assertThat(titlesBySeq(user)).isEmpty();
            assertThat(cursorOf(user)).isZero();
        }
    }

    @Test
    void replayingABatchWithItsKeysCreatesNothingNew() throws Exception {
        List<String> users = createUsers("replay-", 5);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(Map.of("username", users.get(i % 5), "type", "keyed", "title", "keyed " + i,
                    "idempotencyKey", "nightly-" + i));
        }

        Api.Response first = api.post("/api/notifications/batch", publisher, batch);
        Api.Response again = api.post("/api/notifications/batch", publisher, batch);

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json()).containsEntry("created", 0).containsEntry("replayed", 20);
        assertThat(again.items()).extracting(item -> item.get("id"))
                .containsExactlyElementsOf(first.items().stream().map(item -> item.get("id")).toList());
        assertThat(again.items()).allMatch(item -> Boolean.FALSE.equals(item.get("created")));
        for (String user : users) {
            assertThat(titlesBySeq(user)).hasSize(4);
        }
    }

    @Test
    void batchThatReusesAKeyForOtherContentIsRefusedWholeAndStoresNothing() throws Exception {
        List<String> users = createUsers("reuse-", 2);
        api.post("/api/notifications/batch", publisher,
                List.of(Map.of("username", users.get(0), "type", "t", "title", "original", "idempotencyKey", "k1")));

        Api.Response response = api.post("/api/notifications/batch", publisher, List.of(
                Map.of("username", users.get(1), "type", "t", "title", "new one"),
                Map.of("username", users.get(0), "type", "t", "title", "changed", "idempotencyKey", "k1")));

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat((String) response.json().get("detail")).contains("items 1");
        assertThat(titlesBySeq(users.get(0))).containsExactly("original");
        assertThat(titlesBySeq(users.get(1))).isEmpty();
    }

    @Test
    void batchThatRepeatsAKeyForOneUserIsInvalid() throws Exception {
        List<String> users = createUsers("repeat-", 1);

        Api.Response response = api.post("/api/notifications/batch", publisher, List.of(
                Map.of("username", users.getFirst(), "type", "t", "title", "a", "idempotencyKey", "same"),
                Map.of("username", users.getFirst(), "type", "t", "title", "b", "idempotencyKey", "same")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(errors(response)).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("index", 1).containsEntry("field", "idempotencyKey"));
        assertThat(titlesBySeq(users.getFirst())).isEmpty();
    }

    @Test
    void oneRequestToTenThousandRecipientsCreatesOneNotificationForEach() throws Exception {
        List<String> users = insertUsers("ten-k-", 10_000);

        Api.Response response = api.publish(publisher, Map.of("usernames", users, "type", "announcement",
                "title", "Ten thousand", "data", Map.of("campaign", 7)));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json()).containsEntry("created", 10_000).containsEntry("replayed", 0);
        assertThat(response.items()).hasSize(10_000).allMatch(item -> Integer.valueOf(1).equals(item.get("seq")));
        try (Connection db = herald.db(); Statement query = db.createStatement();
             ResultSet rs = query.executeQuery("""
                     SELECT count(*), count(DISTINCT n.user_id), min(n.seq), max(n.seq) FROM notification n
                     JOIN app_user u ON u.id = n.user_id WHERE u.username LIKE 'ten-k-%'""")) {
            rs.next();
            assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .containsExactly(10_000L, 10_000L, 1L, 1L);
        }
    }

    @Test
    void aUserNamedTwiceInOneRequestGetsOneNotification() throws Exception {
        List<String> users = createUsers("twice-", 2);
        long secondId = userId(users.get(1));

        Api.Response byName = api.publish(publisher, Map.of("usernames",
                List.of(users.get(0), users.get(0).toUpperCase(), users.get(1)), "type", "t", "title", "once"));
        Api.Response byId = api.publish(publisher, Map.of("userIds", List.of(secondId, secondId), "type", "t",
                "title", "once more"));

        assertThat(byName.json()).containsEntry("created", 2);
        assertThat(byId.json()).containsEntry("created", 1);
        assertThat(titlesBySeq(users.get(0))).containsExactly("once");
        assertThat(titlesBySeq(users.get(1))).containsExactly("once", "once more");
    }

    @Test
    void requestToManyWithAnUnknownNameStoresNothing() throws Exception {
        List<String> users = createUsers("unknown-", 2);

        Api.Response response = api.publish(publisher, Map.of("usernames",
                List.of(users.get(0), "ghost-one", users.get(1)), "type", "t", "title", "x"));

        assertThat(response.status()).isEqualTo(404);
        assertThat((String) response.json().get("detail")).contains("ghost-one");
        assertThat(titlesBySeq(users.get(0))).isEmpty();
        assertThat(titlesBySeq(users.get(1))).isEmpty();
    }

    @Test
    void batchByIdsWithAnUnknownIdStoresNothingAndNamesThatItem() throws Exception {
        List<String> users = createUsers("by-id-", 2);
        long unknown = userId(users.get(1)) + 1_000_000;

        Api.Response response = api.post("/api/notifications/batch", publisher, List.of(
                Map.of("userId", userId(users.get(0)), "type", "t", "title", "fine"),
                Map.of("userIds", List.of(userId(users.get(1)), unknown), "type", "t", "title", "one unknown"),
                Map.of("userId", userId(users.get(1)), "type", "t", "title", "fine too")));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(errors(response)).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("index", 1).containsEntry("field", "userIds")
                .hasEntrySatisfying("message", message -> assertThat((String) message).contains(String.valueOf(unknown))));
        for (String user : users) {
            assertThat(titlesBySeq(user)).isEmpty();
            assertThat(cursorOf(user)).as("the seqs reserved for the rolled-back batch are given back").isZero();
        }
    }

    @Test
    void anUnknownIdIsNamedAheadOfAKeyConflict() throws Exception {
        List<String> users = createUsers("unknown-first-", 2);
        api.post("/api/notifications/batch", publisher,
                List.of(Map.of("username", users.get(0), "type", "t", "title", "original", "idempotencyKey", "k2")));
        long unknown = userId(users.get(1)) + 1_000_000;

        Api.Response response = api.post("/api/notifications/batch", publisher, List.of(
                Map.of("username", users.get(0), "type", "t", "title", "changed", "idempotencyKey", "k2"),
                Map.of("userId", unknown, "type", "t", "title", "to no one"),
                Map.of("username", users.get(1), "type", "t", "title", "fine")));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(errors(response)).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("index", 1).containsEntry("field", "userId"));
        assertThat(titlesBySeq(users.get(0))).containsExactly("original");
        assertThat(titlesBySeq(users.get(1))).isEmpty();
    }

    @Test
    void requestToManyWithAnUnknownIdStoresNothing() throws Exception {
        List<String> users = createUsers("unknown-id-", 2);
        long unknown = userId(users.get(1)) + 1_000_000;

        Api.Response response = api.publish(publisher, Map.of("userIds",
                List.of(userId(users.get(0)), unknown, userId(users.get(1))), "type", "t", "title", "x"));

        assertThat(response.status()).isEqualTo(404);
        assertThat((String) response.json().get("detail")).contains(String.valueOf(unknown));
        assertThat(titlesBySeq(users.get(0))).isEmpty();
        assertThat(cursorOf(users.get(0))).isZero();
        assertThat(titlesBySeq(users.get(1))).isEmpty();
    }

    @Test
    void requestsOverTheCapsGet413AndStoreNothing() throws Exception {
        List<String> users = createUsers("caps-", 1);
        List<Map<String, Object>> tooLong = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooLong.add(Map.of("username", users.getFirst(), "type", "t", "title", "x"));
        }
        List<Long> tooMany = new ArrayList<>();
        for (long id = 1; id <= 10_001; id++) {
            tooMany.add(id);
        }

        Api.Response batch = api.post("/api/notifications/batch", publisher, tooLong);
        Api.Response many = api.publish(publisher, Map.of("userIds", tooMany, "type", "t", "title", "x"));

        assertThat(batch.status()).isEqualTo(413);
        assertThat((String) batch.json().get("detail")).contains("at most 1000", "1001");
        assertThat(many.status()).isEqualTo(413);
        assertThat((String) many.json().get("detail")).contains("at most 10000");
        assertThat(titlesBySeq(users.getFirst())).isEmpty();
    }

    @Test
    void concurrentBatchesToOverlappingUsersKeepEveryUsersSeqsGapFree() throws Exception {
        List<String> users = createUsers("overlap-", 20);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> publishers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random random = new Random(t);
                publishers.add(() -> {
                    int statusSum = 0;
                    for (int round = 0; round < 5; round++) {
                        List<Map<String, Object>> batch = new ArrayList<>();
                        for (int i = 0; i < 100; i++) {
                            batch.add(Map.of("username", users.get(random.nextInt(users.size())), "type", "t",
                                    "title", "x"));
                        }
                        statusSum += api.post("/api/notifications/batch", publisher, batch).status();
                    }
                    return statusSum;
                });
            }
            for (Future<Integer> done : pool.invokeAll(publishers)) {
                assertThat(done.get()).isEqualTo(5 * 201);
            }
        } finally {
            pool.shutdown();
        }
        long total = 0;
        for (String user : users) {
            List<Long> seqs = seqsOf(user);
            assertThat(seqs).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(cursorOf(user)).isEqualTo(seqs.size());
            total += seqs.size();
        }
        assertThat(total).isEqualTo(4 * 5 * 100);
    }

    @Test
    void plainUserCannotPublishABatch() throws Exception {
        List<String> users = createUsers("plain-batch-", 1);
        String plain = api.login(users.getFirst(), Api.PASSWORD);

        Api.Response response = api.post("/api/notifications/batch", plain,
                List.of(Map.of("username", users.getFirst(), "type", "t", "title", "x")));

        assertThat(response.status()).isEqualTo(403);
        assertThat(titlesBySeq(users.getFirst())).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static List<String> createUsers(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            api.createUser(prefix + i);
            names.add(prefix + i);
        }
        return names;
    }

    /** Many users straight into the database: the admin API would hash 10,000 passwords. */
    private static List<String> insertUsers(String prefix, int count) throws SQLException {
        try (Connection db = herald.db(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO app_user (username, password_hash) SELECT ? || g, 'not-a-hash' FROM generate_series(1, ?) g")) {
            insert.setString(1, prefix);
            insert.setInt(2, count);
            insert.executeUpdate();
        }
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    }

    private static long userId(String username) throws SQLException {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT id FROM app_user WHERE username = ?")) {
            query.setString(1, username);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> titlesBySeq(String username) throws SQLException {
        return column(username, "title");
    }

    private static List<Long> seqsOf(String username) throws SQLException {
        return column(username, "seq").stream().map(Long::valueOf).toList();
    }

    private static List<String> column(String username, String column) throws SQLException {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT n." + column + " FROM notification n JOIN app_user u ON u.id = n.user_id"
                        + " WHERE u.username = ? ORDER BY n.seq")) {
            query.setString(1, username);
            ResultSet rs = query.executeQuery();
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static long cursorOf(String username) throws SQLException {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT coalesce(max(c.last_seq), 0) FROM notification_cursor c JOIN app_user u ON u.id = c.user_id"
                        + " WHERE u.username = ?")) {
            query.setString(1, username);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Api.Response response) {
        return (List<Map<String, Object>>) response.json().get("errors");
    }
}
