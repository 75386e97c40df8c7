package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PublishTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("test.record-published-events", "true"));
    static Api api;
    static String publisher;
    static String otherPublisher;

    @BeforeAll
    static void createUsers() {
        api = herald.api();
        api.createUser("publisher", "publisher");
        api.createUser("other-publisher", "publisher");
        api.createUser("plain");
        publisher = api.login("publisher", Api.PASSWORD);
        otherPublisher = api.login("other-publisher", Api.PASSWORD);
    }

    @Test
    void publisherCreatesANotificationForAUserNamedByNameOrId() throws Exception {
        long id = api.createUser("named");

        Api.Response byName = api.publish(publisher, Map.of("username", "named", "type", "greeting",
                "title", "Hello", "message", "Welcome", "data", Map.of("k", List.of(1, 2)), "priority", 4,
                "tags", List.of("welcome")));
        Api.Response byId = api.publish(publisher, Map.of("userId", id, "type", "greeting", "title", "Again"));

        assertThat(byName.status()).isEqualTo(201);
        assertThat(byName.json()).containsEntry("seq", 1).containsEntry("type", "greeting")
                .containsEntry("title", "Hello").containsEntry("message", "Welcome").containsEntry("priority", 4)
                .containsEntry("data", Map.of("k", List.of(1, 2))).containsEntry("tags", List.of("welcome"))
                .containsEntry("readAt", null).containsKeys("id", "createdAt");
        assertThat(byId.status()).isEqualTo(201);
        assertThat(byId.json()).containsEntry("seq", 2).containsEntry("priority", 3).containsEntry("message", "");
        assertThat(storedSeqs("named")).containsExactly(1L, 2L);
    }

    @Test
    void plainUserCannotPublish() throws Exception {
        api.createUser("target-of-plain");
        String plain = api.login("plain", Api.PASSWORD);

        Api.Response response = api.publish(plain, Map.of("username", "target-of-plain", "type", "t", "title", "x"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(storedSeqs("target-of-plain")).isEmpty();
    }

    @Test
    void publishingToAnUnknownUserGets404() {
        Api.Response byName = api.publish(publisher, Map.of("username", "ghost", "type", "t", "title", "x"));
        Api.Response byId = api.publish(publisher, Map.of("userId", 987654, "type", "t", "title", "x"));

        assertThat(byName.status()).isEqualTo(404);
        assertThat(byId.status()).isEqualTo(404);
        assertThat(byName.json().get("detail")).isEqualTo("Recipient not found");
    }

    @Test
    void fiftyConcurrentPublishesToOneUserGetSeqOneToFiftyWithoutGapOrDuplicate() throws Exception {
        api.createUser("busy");
        List<Callable<Long>> publishes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            publishes.add(() -> {
                Api.Response response = api.publish(publisher, Map.of("username", "busy", "type", "load", "title", "n" + n));
                assertThat(response.status()).as(response.body()).isEqualTo(201);
                return ((Number) response.json().get("seq")).longValue();
            });
        }
        List<Long> answered = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (Future<Long> result : pool.invokeAll(publishes)) {
                answered.add(result.get());
            }
        }

        List<Long> expected = LongStream.rangeClosed(1, 50).boxed().toList();
        assertThat(answered).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(storedSeqs("busy")).containsExactlyElementsOf(expected);
    }

    @Test
    void sameIdempotencyKeyTwiceCreatesOneNotification() throws Exception {
        api.createUser("keyed");
        Map<String, Object> request = Map.of("username", "keyed", "type", "t", "title", "once",
                "data", Map.of("a", 1, "b", Map.of("c", 2, "d", 3)));
        Map<String, Object> sameWithKeysReordered = Map.of("username", "keyed", "type", "t", "title", "once",
                "data", Map.of("b", Map.of("d", 3, "c", 2), "a", 1));

        Api.Response first = api.post("/api/notifications", publisher, request, Map.of("Idempotency-Key", "k-1"));
        Api.Response second = api.post("/api/notifications", publisher, sameWithKeysReordered,
                Map.of("Idempotency-Key", "k-1"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(storedSeqs("keyed")).containsExactly(1L);
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneNotificationAndLeaveNoGap() throws Exception {
        api.createUser("raced");
        Map<String, Object> request = Map.of("username", "raced", "type", "t", "title", "raced");
        List<Callable<Api.Response>> attempts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            attempts.add(() -> api.post("/api/notifications", publisher, request, Map.of("Idempotency-Key", "race")));
        }
        List<Api.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (Future<Api.Response> result : pool.invokeAll(attempts)) {
                responses.add(result.get());
            }
        }

        assertThat(responses).extracting(Api.Response::status).containsOnly(200, 201)
                .filteredOn(status -> status == 201).hasSize(1);
        assertThat(responses).extracting(r -> r.json().get("id")).containsOnly(responses.getFirst().json().get("id"));
        Api.Response next = api.publish(publisher, Map.of("username", "raced", "type", "t", "title", "next"));
        assertThat(next.json().get("seq")).isEqualTo(2);
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyGets409AndStoresNothing() throws Exception {
        api.createUser("conflicted");
        api.post("/api/notifications", publisher, Map.of("username", "conflicted", "type", "t", "title", "first"),
                Map.of("Idempotency-Key", "k-2"));

        Api.Response conflict = api.post("/api/notifications", publisher,
                Map.of("username", "conflicted", "type", "t", "title", "second"), Map.of("Idempotency-Key", "k-2"));

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(storedSeqs("conflicted")).containsExactly(1L);
    }

    @Test
    void idempotencyKeysOfDifferentPublishersDoNotCollide() throws Exception {
        api.createUser("shared-key");
        Map<String, Object> request = Map.of("username", "shared-key", "type", "t", "title", "same");

        Api.Response mine = api.post("/api/notifications", publisher, request, Map.of("Idempotency-Key", "k-3"));
        Api.Response theirs = api.post("/api/notifications", otherPublisher, request, Map.of("Idempotency-Key", "k-3"));

        assertThat(mine.status()).isEqualTo(201);
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(storedSeqs("shared-key")).containsExactly(1L, 2L);
    }

    @Test
    void badInputGetsAClearErrorAndStoresNothing() throws Exception {
        api.createUser("guarded");
        Map<String, Object> valid = Map.of("username", "guarded", "type", "t", "title", "x");

        Api.Response malformed = api.post("/api/notifications", publisher, "{\"username\":\"guarded\",\"type\":");
        Api.Response missingFields = api.publish(publisher, Map.of("username", "guarded"));
        Api.Response priorityNine = api.publish(publisher, with(valid, "priority", 9));
        Api.Response bothRecipients = api.publish(publisher, with(valid, "userId", 1));
        Api.Response tooManyTags = api.publish(publisher, with(valid, "tags", List.of(
                "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17")));
        Api.Response hugeData = api.publish(publisher, with(valid, "data", Map.of("blob", "x".repeat(9000))));
        Api.Response threeMegabytes = api.publish(publisher, with(valid, "message", "x".repeat(3 * 1024 * 1024)));
        Api.Response longKeyBlankTitle = api.post("/api/notifications", publisher, with(valid, "title", " "),
                Map.of("Idempotency-Key", "k".repeat(201)));

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(missingFields.status()).isEqualTo(400);
        assertThat(fieldsNamedIn(missingFields)).contains("type", "title");
        assertThat(priorityNine.status()).isEqualTo(400);
        assertThat(fieldsNamedIn(priorityNine)).containsExactly("priority");
        assertThat(bothRecipients.status()).isEqualTo(400);
        assertThat(fieldsNamedIn(bothRecipients)).containsExactly("userId");
        assertThat(tooManyTags.status()).isEqualTo(400);
        assertThat(fieldsNamedIn(tooManyTags)).containsExactly("tags");
        assertThat(hugeData.status()).isEqualTo(400);
        assertThat(fieldsNamedIn(hugeData)).containsExactly("data");
        assertThat(threeMegabytes.status()).isEqualTo(413);
        assertThat(longKeyBlankTitle.status()).isEqualTo(400);
        assertThat(fieldsNamedIn(longKeyBlankTitle)).as("header and body answered together")
                .containsExactly("idempotencyKey", "title");
        for (Api.Response response : List.of(malformed, missingFields, priorityNine, threeMegabytes, longKeyBlankTitle)) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json()).containsKeys("title", "status", "detail");
        }
        assertThat(storedSeqs("guarded")).isEmpty();
        assertThat(api.publish(publisher, valid).status()).as("the user can still be notified").isEqualTo(201);
    }

    @Test
    void notificationPublishedIsRaisedAfterTheNotificationCommitted() {
        api.createUser("watched");

        Api.Response response = api.publish(publisher, Map.of("username", "watched", "type", "t", "title", "x"));

        UUID id = UUID.fromString((String) response.json().get("id"));
        assertThat(herald.bean(PublishedEventRecorder.class).committedWhenRaised).containsEntry(id, true);
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static List<String> fieldsNamedIn(Api.Response response) {
        return ((List<Map<String, Object>>) response.json().get("errors")).stream()
                .map(error -> (String) error.get("field")).toList();
    }

    private static List<Long> storedSeqs(String username) throws Exception {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement("""
                SELECT n.seq FROM notification n JOIN app_user u ON u.id = n.user_id
                WHERE u.username = ? ORDER BY n.seq""")) {
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
