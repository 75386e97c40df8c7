package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HistoryTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static String publisher;

    @BeforeAll
    static void createUsers() {
        api = herald.api();
        api.createUser("publisher", "publisher");
        publisher = api.login("publisher", Api.PASSWORD);
    }

    @Test
    void pagingThroughAThousandNotificationsWithBeforeVisitsEachExactlyOnce() {
        String reader = userWith("pager", 1000);

        List<Long> visited = new ArrayList<>();
        Object cursor = null;
        int pages = 0;
        do {
            Api.Response page = api.get("/api/notifications?limit=75" + (cursor == null ? "" : "&before=" + cursor), reader);
            assertThat(page.status()).isEqualTo(200);
            page.items().forEach(item -> visited.add(((Number) item.get("seq")).longValue()));
            cursor = page.json().get("nextCursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(14);
        assertThat(visited).containsExactlyElementsOf(LongStream.iterate(1000, s -> s >= 1, s -> s - 1).boxed().toList());
    }

    @Test
    void storedDataIsSentAsTheDatabaseReturnsItWithoutBeingDecodedAndEncodedAgain() {
        String reader = userWith("raw-data", 0);
        Api.Response published = api.publish(publisher, Map.of("username", "raw-data", "type", "t",
                "title", "with data", "data", Map.of("order", 42, "items", List.of("a", "b"))));
        assertThat(published.status()).as(published.body()).isEqualTo(201);

        Api.Response page = api.get("/api/notifications", reader);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("application/json");
        assertThat(page.items().getFirst().get("data")).isEqualTo(Map.of("order", 42, "items", List.of("a", "b")));
        // jsonb's own text form, spaces and key order (shorter keys first) and all: copied, not re-encoded
        assertThat(page.body()).contains("\"data\":{\"items\": [\"a\", \"b\"], \"order\": 42}");
    }

    @Test
    void pagingWithAfterWalksTowardsNewerItemsStillNewestFirst() {
        String reader = userWith("catching-up", 20);

        Api.Response first = api.get("/api/notifications?after=10&limit=5", reader);
        Api.Response second = api.get("/api/notifications?after=" + first.json().get("nextCursor") + "&limit=5", reader);

        assertThat(seqs(first)).containsExactly(15L, 14L, 13L, 12L, 11L);
        assertThat(first.json().get("nextCursor")).isEqualTo(15);
        assertThat(seqs(second)).containsExactly(20L, 19L, 18L, 17L, 16L);
        assertThat(second.json().get("nextCursor")).isNull();
    }

    @Test
    void pageSizeIsCappedAndDefaulted() {
        String reader = userWith("capped", 260);

        assertThat(api.get("/api/notifications?limit=100000", reader).items()).hasSize(200);
        assertThat(api.get("/api/notifications", reader).items()).hasSize(50);
    }

    @Test
    void unreadCountUnreadFilterAndMarkAllReadAgree() {
        String reader = userWith("marker", 30);
        List<Object> firstFive = api.get("/api/notifications?limit=5", reader).items().stream()
                .map(item -> item.get("id")).toList();

        Api.Response marked = api.post("/api/notifications/read", reader, Map.of("ids", firstFive));
        assertThat(marked.status()).isEqualTo(200);
        assertThat(marked.json().get("unreadCount")).isEqualTo(25);
        assertThat(unreadCount(reader)).isEqualTo(25);
        Set<Object> unreadIds = new HashSet<>();
        api.get("/api/notifications?unread=true&limit=200", reader).items().forEach(i -> unreadIds.add(i.get("id")));
        assertThat(unreadIds).hasSize(25).doesNotContainAnyElementsOf(firstFive);

        Api.Response again = api.post("/api/notifications/read", reader, Map.of("ids", firstFive));
        assertThat(again.json().get("ids")).asList().isEmpty();

        Api.Response all = api.post("/api/notifications/read-all", reader, Map.of());
        assertThat(all.json()).containsEntry("upTo", 30).containsEntry("updated", 25);
        assertThat(unreadCount(reader)).isZero();
        assertThat(api.get("/api/notifications?unread=true", reader).items()).isEmpty();
        assertThat(api.get("/api/notifications?limit=200", reader).items())
                .allSatisfy(item -> assertThat(item.get("readAt")).isNotNull());
    }

    @Test
    void typeFilterReturnsOnlyThatType() {
        api.createUser("typed");
        for (int i = 0; i < 6; i++) {
            api.publish(publisher, Map.of("username", "typed", "type", i % 2 == 0 ? "even" : "odd", "title", "n" + i));
        }
        String reader = api.login("typed", Api.PASSWORD);

        Api.Response even = api.get("/api/notifications?type=even", reader);

        assertThat(even.items()).extracting(item -> item.get("type")).containsOnly("even").hasSize(3);
        assertThat(seqs(even)).containsExactly(5L, 3L, 1L);
    }

    @Test
    void deletedNotificationIsGoneFromHistoryAndCount() {
        String reader = userWith("deleter", 3);
        Object newest = api.get("/api/notifications?limit=1", reader).items().getFirst().get("id");

        assertThat(api.delete("/api/notifications/" + newest, reader).status()).isEqualTo(204);

        assertThat(seqs(api.get("/api/notifications", reader))).containsExactly(2L, 1L);
        assertThat(unreadCount(reader)).isEqualTo(2);
        assertThat(api.delete("/api/notifications/" + newest, reader).status()).isEqualTo(404);
    }

    private static String userWith(String username, int notifications) {
        api.createUser(username);
        for (int i = 1; i <= notifications; i++) {
            Api.Response response = api.publish(publisher, Map.of("username", username, "type", "t", "title", "n" + i));
            assertThat(response.status()).isEqualTo(201);
        }
        return api.login(username, Api.PASSWORD);
    }

    private static long unreadCount(String token) {
        return ((Number) api.get("/api/notifications/unread-count", token).json().get("count")).longValue();
    }

    private static List<Long> seqs(Api.Response page) {
        return page.items().stream().map(item -> ((Number) item.get("seq")).longValue()).toList();
    }
}
