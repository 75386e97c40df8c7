package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BroadcastTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.publish.broadcast-chunk-size", 500));
    static Api api;
    static String admin;

    @BeforeAll
    static void createTwoThousandUsers() throws SQLException {
        api = herald.api();
        admin = api.adminToken();
        api.createUser("template");
        // The admin API would hash 2,000 passwords; these share the template's hash, so they can sign in.
        try (Connection db = herald.db(); PreparedStatement insert = db.prepareStatement("""
                INSERT INTO app_user (username, password_hash)
                SELECT 'everyone-' || g, (SELECT password_hash FROM app_user WHERE username = 'template')
                FROM generate_series(1, 2000) g""")) {
            insert.executeUpdate();
        }
    }

    @Test
    void broadcastStoresForEveryUserDeliversToEveryConnectedOneAndRunsAgainWithoutCreatingAnything() throws Exception {
        List<WsClient> devices = new ArrayList<>();
        try {
            for (int i = 1; i <= 2000; i += 100) {
                WsClient device = WsClient.withToken(api, api.login("everyone-" + i, Api.PASSWORD));
                device.next("connected");
                devices.add(device);
            }
            long users = userCount();

            Api.Response first = broadcast("maintenance-1", "Maintenance tonight");

            assertThat(first.status()).as(first.body()).isEqualTo(201);
            assertThat(first.json()).containsEntry("recipients", (int) users).containsEntry("created", (int) users)
                    .containsEntry("replayed", 0);
            assertThat(storedUnderKey("maintenance-1")).containsExactly(users, users);
            for (WsClient device : devices) {
                assertThat(device.next("notification")).satisfies(message ->
                        assertThat(WsClient.payload(message)).containsEntry("title", "Maintenance tonight"));
            }

            Api.Response again = broadcast("maintenance-1", "Maintenance tonight");

            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json()).containsEntry("created", 0).containsEntry("replayed", (int) users);
            assertThat(storedUnderKey("maintenance-1")).containsExactly(users, users);
            for (WsClient device : devices) {
                assertThat(device.drain(Duration.ofMillis(50))).noneMatch(m -> "notification".equals(m.get("type")));
            }
        } finally {
            devices.forEach(WsClient::close);
        }
    }

    @Test
    void broadcastCutShortByACrashCreatesOnlyWhatIsMissingWhenRunAgain() throws Exception {
        long users = userCount();
        // The database fails the third chunk (user ids 1001 to 1500), as a crash would cut the broadcast
        // short there: the chunks before it are committed, and chunks stored alongside it may be too.
        try (Connection db = herald.db(); var statement = db.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION simulated_crash() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$""");
            statement.execute("""
                    CREATE TRIGGER simulated_crash BEFORE INSERT ON notification FOR EACH ROW
                    WHEN (NEW.user_id = 1200) EXECUTE FUNCTION simulated_crash()""");
        }
        Api.Response cutShort = broadcast("upgrade-2", "Upgrade done");
        assertThat(cutShort.status()).isEqualTo(500);
        long stored = storedUnderKey("upgrade-2").getFirst();
        assertThat(stored).as("the chunks before the crash").isBetween(1000L, users - 500);
        assertThat(single("SELECT count(*) FROM notification WHERE idempotency_key = 'upgrade-2'"
                + " AND user_id BETWEEN 1001 AND 1500")).as("the crashed chunk, rolled back whole").isZero();
        assertThat(storedUnderKey("upgrade-2")).as("one each").containsExactly(stored, stored);
        try (Connection db = herald.db(); var statement = db.createStatement()) {
            statement.execute("DROP TRIGGER simulated_crash ON notification");
        }

        Api.Response rerun = broadcast("upgrade-2", "Upgrade done");

        assertThat(rerun.status()).as(rerun.body()).isEqualTo(201);
        assertThat(rerun.json()).containsEntry("created", (int) (users - stored)).containsEntry("replayed", (int) stored);
        assertThat(storedUnderKey("upgrade-2")).containsExactly(users, users);
    }

    @Test
    void onlyAdminsMayBroadcast() throws Exception {
        api.createUser("would-be-broadcaster", "publisher");
        String publisher = api.login("would-be-broadcaster", Api.PASSWORD);
        String plain = api.login("everyone-5", Api.PASSWORD);

        for (String token : List.of(publisher, plain)) {
            Api.Response response = api.post("/api/notifications", token,
                    Map.of("audience", "all", "type", "t", "title", "Hi all"), Map.of("Idempotency-Key", "not-allowed"));
            assertThat(response.status()).isEqualTo(403);
        }
        assertThat(storedUnderKey("not-allowed")).containsExactly(0L, 0L);
    }

    @Test
    void broadcastWithoutAnIdempotencyKeyIsRefused() throws Exception {
        long before = totalStored();

        Api.Response response = api.publish(admin, Map.of("audience", "all", "type", "t", "title", "Unkeyed"));

        assertThat(response.status()).isEqualTo(400);
        assertThat((String) response.json().get("detail")).contains("Idempotency-Key");
        assertThat(totalStored()).isEqualTo(before);
    }

    @Test
    void broadcastUnderAKeyAlreadyUsedForOtherContentIsRefusedBeforeStoringAnything() throws Exception {
        assertThat(broadcast("notice-3", "First text").status()).isEqualTo(201);
        long before = totalStored();

        Api.Response changed = broadcast("notice-3", "Other text");

        assertThat(changed.status()).isEqualTo(409);
        assertThat(totalStored()).isEqualTo(before);
    }

    @Test
    void broadcastUnderAKeyThatAnotherRequestUsedForAUserItHasNotReachedIsRefusedBeforeStoringAnything() throws Exception {
        assertThat(broadcast("notice-4", "Notice").status()).isEqualTo(201);
        // As if it had been cut short after its first chunk of 500 users...
        try (Connection db = herald.db(); var statement = db.createStatement()) {
            statement.execute("DELETE FROM notification WHERE idempotency_key = 'notice-4' AND user_id > 500");
        }
        // ...and a single publish then used the key (keys are per recipient) for a user it had not reached.
        Api.Response single = api.post("/api/notifications", admin,
                Map.of("userId", 1900, "type", "announcement", "title", "Something else"), Map.of("Idempotency-Key", "notice-4"));
        assertThat(single.status()).as(single.body()).isEqualTo(201);
        long before = totalStored();

        Api.Response rerun = broadcast("notice-4", "Notice");

        assertThat(rerun.status()).as(rerun.body()).isEqualTo(409);
        assertThat(totalStored()).as("not even the chunks before user 1900's").isEqualTo(before);
    }

    private static Api.Response broadcast(String key, String title) {
        return api.post("/api/notifications", admin, Map.of("audience", "all", "type", "announcement",
                "title", title), Map.of("Idempotency-Key", key));
    }

    private static long userCount() throws SQLException {
        return single("SELECT count(*) FROM app_user");
    }

    private static long totalStored() throws SQLException {
        return single("SELECT count(*) FROM notification");
    }

    /** How many notifications the key names, and for how many distinct users. */
    private static List<Long> storedUnderKey(String key) throws SQLException {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT count(*), count(DISTINCT user_id) FROM notification WHERE idempotency_key = ?")) {
            query.setString(1, key);
            ResultSet rs = query.executeQuery();
            rs.next();
            return List.of(rs.getLong(1), rs.getLong(2));
        }
    }

    private static long single(String sql) throws SQLException {
        try (Connection db = herald.db(); ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
