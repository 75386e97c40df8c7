package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** User A can neither see, mark read nor delete user B's notifications, and cannot tell they exist. */
class IsolationTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static String alice;
    static String bob;
    static String alicesId;
    static String bobsId;
    static final String NOWHERE = UUID.randomUUID().toString();

    @BeforeAll
    static void publishOneEach() {
        api = herald.api();
        api.createUser("alice");
        api.createUser("bob");
        String admin = api.adminToken();
        alicesId = (String) api.publish(admin, Map.of("username", "alice", "type", "t", "title", "for alice")).json().get("id");
        bobsId = (String) api.publish(admin, Map.of("username", "bob", "type", "t", "title", "for bob")).json().get("id");
        alice = api.login("alice", Api.PASSWORD);
        bob = api.login("bob", Api.PASSWORD);
    }

    @Test
    void anotherUsersNotificationLooksExactlyLikeOneThatDoesNotExist() {
        Api.Response theirs = api.get("/api/notifications/" + bobsId, alice);
        Api.Response nowhere = api.get("/api/notifications/" + NOWHERE, alice);

        assertThat(theirs.status()).isEqualTo(404);
        assertThat(withoutInstance(theirs)).isEqualTo(withoutInstance(nowhere));
        assertThat(api.get("/api/notifications/" + bobsId, bob).status()).isEqualTo(200);
    }

    @Test
    void historyAndUnreadCountShowOnlyTheCallersOwn() {
        assertThat(api.get("/api/notifications", alice).items()).extracting(item -> item.get("id"))
                .containsExactly(alicesId);
        assertThat(api.get("/api/notifications/unread-count", alice).json())
                .as("the count and the cursor it was taken at").containsEntry("count", 1).containsEntry("cursor", 1);
    }

    @Test
    void markReadOfAnotherUsersNotificationChangesNothing() throws Exception {
        Api.Response theirs = api.post("/api/notifications/read", alice, Map.of("ids", List.of(bobsId)));
        Api.Response mixed = api.post("/api/notifications/read", alice, Map.of("ids", List.of(alicesId, bobsId)));
        Api.Response nowhere = api.post("/api/notifications/read", alice, Map.of("ids", List.of(NOWHERE)));

        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.body()).isEqualTo(nowhere.body());
        assertThat(mixed.status()).isEqualTo(404);
        assertThat(readAt(bobsId)).as("bob's row").isNull();
        assertThat(readAt(alicesId)).as("alice's own row, named in the refused request").isNull();
    }

    @Test
    void markAllReadTouchesOnlyTheCallersNotifications() throws Exception {
        api.createUser("carol");
        String admin = api.adminToken();
        String carolsId = (String) api.publish(admin, Map.of("username", "carol", "type", "t", "title", "c")).json().get("id");
        String carol = api.login("carol", Api.PASSWORD);

        assertThat(api.post("/api/notifications/read-all", carol, Map.of()).json()).containsEntry("updated", 1);

        assertThat(readAt(carolsId)).isNotNull();
        assertThat(readAt(bobsId)).isNull();
    }

    @Test
    void deleteOfAnotherUsersNotificationChangesNothing() throws Exception {
        Api.Response theirs = api.delete("/api/notifications/" + bobsId, alice);
        Api.Response nowhere = api.delete("/api/notifications/" + NOWHERE, alice);

        assertThat(theirs.status()).isEqualTo(404);
        assertThat(withoutInstance(theirs)).isEqualTo(withoutInstance(nowhere));
        assertThat(exists(bobsId)).isTrue();
    }

    private static Map<String, Object> withoutInstance(Api.Response response) {
        Map<String, Object> body = new HashMap<>(response.json());
        body.remove("instance");
        return body;
    }

    private static Object readAt(String id) throws Exception {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT read_at FROM notification WHERE id = ?")) {
            query.setObject(1, UUID.fromString(id));
            ResultSet rs = query.executeQuery();
            assertThat(rs.next()).as("row %s exists", id).isTrue();
            return rs.getObject(1);
        }
    }

    private static boolean exists(String id) throws Exception {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT 1 FROM notification WHERE id = ?")) {
            query.setObject(1, UUID.fromString(id));
            return query.executeQuery().next();
        }
    }
}
