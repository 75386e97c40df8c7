package dev.herald.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProductsTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.inventory.scheduled-checks", false));
    static final AtomicInteger USERS = new AtomicInteger();
    static Api api;

    @BeforeAll
    static void start() {
        api = herald.api();
    }

    @Test
    void aDateOnlyExpiryEndsAtMidnightAfterThatDayInUtcUntilTheOwnerSetsAZone() {
        String owner = signedInUser();

        Api.Response created = api.post("/api/products", owner,
                Map.of("name", "Milk", "quantity", 2, "expiryDate", "2031-03-10", "notes", "oat"));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json()).containsEntry("name", "Milk").containsEntry("quantity", 2)
                .containsEntry("expiryDate", "2031-03-10").containsEntry("expiresAt", "2031-03-11T00:00:00Z")
                .containsEntry("status", "active").containsEntry("notes", "oat").containsEntry("source", "manual")
                .containsEntry("nutrition", null).containsKeys("id", "createdAt", "updatedAt")
                .doesNotContainKey("userId");
        assertThat(api.get("/api/users/me/time-zone", owner).json()).containsEntry("timeZone", "UTC");
    }

    @Test
    void anInstantIsKeptAsGivenAndNormalisedToUtc() {
        String owner = signedInUser();

        Api.Response created = api.post("/api/products", owner,
                Map.of("name", "Fish", "expiryDate", "2031-03-10T20:30:00+02:00"));

        assertThat(created.json()).containsEntry("expiryDate", "2031-03-10T18:30:00Z")
                .containsEntry("expiresAt", "2031-03-10T18:30:00Z").containsEntry("quantity", 1);
    }

    @Test
    void settingATimeZoneMovesTheOwnersDateOnlyExpiriesAndLeavesInstantsAlone() {
        String owner = signedInUser();
        long dated = id(api.post("/api/products", owner, Map.of("name", "Cheese", "expiryDate", "2031-07-01")));
        long exact = id(api.post("/api/products", owner, Map.of("name", "Ham", "expiryDate", "2031-07-01T10:00:00Z")));

        Api.Response set = api.put("/api/users/me/time-zone", owner, Map.of("timeZone", "Europe/Berlin"));

        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json()).containsEntry("timeZone", "Europe/Berlin");
        assertThat(api.get("/api/users/me/time-zone", owner).json()).containsEntry("timeZone", "Europe/Berlin");
        assertThat(product(owner, dated)).containsEntry("expiresAt", "2031-07-01T22:00:00Z"); // CEST, UTC+2
        assertThat(product(owner, exact)).containsEntry("expiresAt", "2031-07-01T10:00:00Z");
        long later = id(api.post("/api/products", owner, Map.of("name", "Bread", "expiryDate", "2031-12-01")));
        assertThat(product(owner, later)).containsEntry("expiresAt", "2031-12-01T23:00:00Z"); // CET, UTC+1
    }

    @Test
    void anUnknownTimeZoneGets400AndChangesNothing() {
        String owner = signedInUser();
        api.put("/api/users/me/time-zone", owner, Map.of("timeZone", "Asia/Tokyo"));

        for (String zone : List.of("Mars/Olympus_Mons", "EST5EDT-ish", "")) {
            Api.Response refused = api.put("/api/users/me/time-zone", owner, Map.of("timeZone", zone));
            assertThat(refused.status()).as(zone).isEqualTo(400);
            assertThat(fieldsNamedIn(refused)).containsExactly("timeZone");
        }
        assertThat(api.get("/api/users/me/time-zone", owner).json()).containsEntry("timeZone", "Asia/Tokyo");
    }

    @Test
    void theListIsSoonestFirstAndFiltersByStatus() {
        String owner = signedInUser();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long expired = id(api.post("/api/products", owner, Map.of("name", "Old", "expiryDate", now.minus(Duration.ofHours(1)).toString())));
        long expiring = id(api.post("/api/products", owner, Map.of("name", "Soon", "expiryDate", now.plus(Duration.ofDays(1)).toString())));
        long active = id(api.post("/api/products", owner, Map.of("name", "Later", "expiryDate", now.plus(Duration.ofDays(10)).toString())));
        long forever = id(api.post("/api/products", owner, Map.of("name", "Salt")));

        assertThat(ids(api.get("/api/products", owner))).containsExactly(expired, expiring, active, forever);
        assertThat(ids(api.get("/api/products?status=expired", owner))).containsExactly(expired);
        assertThat(ids(api.get("/api/products?status=expiring", owner))).containsExactly(expiring);
        assertThat(ids(api.get("/api/products?status=active", owner))).containsExactly(active, forever);
        assertThat(api.get("/api/products?status=expiring", owner).items().getFirst()).containsEntry("status", "expiring");
        Api.Response firstPage = api.get("/api/products?limit=3", owner);
        assertThat(ids(firstPage)).containsExactly(expired, expiring, active);
        assertThat(firstPage.json()).containsEntry("nextOffset", 3);
        assertThat(ids(api.get("/api/products?limit=3&offset=3", owner))).containsExactly(forever);
        Api.Response unknownStatus = api.get("/api/products?status=rotten", owner);
        assertThat(unknownStatus.status()).isEqualTo(400);
        assertThat(fieldsNamedIn(unknownStatus)).containsExactly("status");
    }

    @Test
    void putReplacesPatchChangesOnlyWhatItNamesAndDeleteRemoves() {
        String owner = signedInUser();
        long id = id(api.post("/api/products", owner, Map.of("name", "Eggs", "quantity", 6, "expiryDate", "2031-01-01", "notes", "free range")));

        Api.Response patched = api.patch("/api/products/" + id, owner, Map.of("quantity", 4));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json()).containsEntry("quantity", 4).containsEntry("name", "Eggs")
                .containsEntry("expiryDate", "2031-01-01").containsEntry("notes", "free range");

        Api.Response replaced = api.put("/api/products/" + id, owner, Map.of("name", "Duck eggs", "quantity", 2));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json()).containsEntry("name", "Duck eggs").containsEntry("quantity", 2)
                .containsEntry("expiryDate", null).containsEntry("expiresAt", null).containsEntry("notes", null);

        assertThat(api.delete("/api/products/" + id, owner).status()).isEqualTo(204);
        assertThat(api.get("/api/products/" + id, owner).status()).isEqualTo(404);
        assertThat(api.delete("/api/products/" + id, owner).status()).isEqualTo(404);
    }

    @Test
    void aPatchWhileTheOwnerMovesToAnotherZoneWaitsForTheMoveInsteadOfDeadlocking() throws Exception {
        String owner = signedInUser();
        long id = id(api.post("/api/products", owner, Map.of("name", "Milk", "quantity", 1, "expiryDate", "2031-01-01")));
        long ownerId = ((Number) api.get("/api/users/me", owner).json().get("id")).longValue();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection move = herald.db(); Statement statement = move.createStatement()) {
            // A move to another zone, step by step as moveToTimeZone takes it: the zone row first...
            move.setAutoCommit(false);
            statement.execute("SET LOCAL lock_timeout = '10s'");
            statement.executeUpdate("UPDATE user_time_zone SET time_zone = 'Europe/Berlin' WHERE user_id = " + ownerId);
            Future<Api.Response> patch = pool.submit(() -> api.patch("/api/products/" + id, owner, Map.of("quantity", 2)));
            herald.awaitWaitingOnLock(1);
            // ...then the owner's products, which the PATCH must not be holding while it waits for the zone.
            statement.executeUpdate("UPDATE product SET expires_at = expires_at WHERE user_id = " + ownerId);
            move.commit();

            Api.Response patched = patch.get(15, TimeUnit.SECONDS);
            assertThat(patched.status()).as(patched.body()).isEqualTo(200);
            assertThat(patched.json()).containsEntry("quantity", 2)
                    .containsEntry("expiresAt", "2031-01-01T23:00:00Z"); // the end of that day in Berlin
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPatchToANameOfWhiteSpaceOnlyGets400AndKeepsTheName() {
        String owner = signedInUser();
        long id = id(api.post("/api/products", owner, Map.of("name", "Rice", "quantity", 1)));

        for (String blank : List.of(" ", "\u2003", "\t\u3000")) {
            Api.Response refused = api.patch("/api/products/" + id, owner, Map.of("name", blank));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        }
        assertThat(api.get("/api/products/" + id, owner).json()).containsEntry("name", "Rice");
    }

    @Test
    void theLastDateAcceptedStillMovesWithTheOwnersZone() {
        String owner = signedInUser();
        long id = id(api.post("/api/products", owner, Map.of("name", "Salt", "quantity", 1, "expiryDate", "9999-12-31")));
        Object inUtc = api.get("/api/products/" + id, owner).json().get("expiresAt");

        // West of UTC, the end of 9999-12-31 falls in the year 10000.
        Api.Response moved = api.put("/api/users/me/time-zone", owner, Map.of("timeZone", "America/New_York"));

        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        Object inNewYork = api.get("/api/products/" + id, owner).json().get("expiresAt");
        assertThat(inNewYork).isNotEqualTo(inUtc);
        assertThat(Instant.parse((String) inNewYork)).isEqualTo(Instant.parse((String) inUtc).plus(Duration.ofHours(5)));
    }

    @Test
    void badDatesAndNegativeQuantitiesGet400AndStoreNothing() throws Exception {
        String owner = signedInUser();
        Map<String, Object> valid = Map.of("name", "Yoghurt", "quantity", 1, "expiryDate", "2031-05-05");

        Map<String, List<String>> refusals = new LinkedHashMap<>();
        for (String date : List.of("2031-02-30", "tomorrow", "2031-06-01T10:00", "01/06/2031", "", "+12031-01-01")) {
            refusals.put("date " + date, fieldsNamedIn(expect400(api.post("/api/products", owner, with(valid, "expiryDate", date)))));
        }
        refusals.put("negative quantity", fieldsNamedIn(expect400(api.post("/api/products", owner, with(valid, "quantity", -1)))));
        refusals.put("blank name", fieldsNamedIn(expect400(api.post("/api/products", owner, with(valid, "name", " ")))));
        refusals.put("date as number", List.of(String.valueOf(expect400(api.post("/api/products", owner, with(valid, "expiryDate", 20310505))).status())));

        assertThat(refusals).allSatisfy((what, fields) -> assertThat(fields).as(what).isNotEmpty());
        assertThat(refusals.get("date tomorrow")).containsExactly("expiryDate");
        assertThat(refusals.get("date 2031-02-30")).containsExactly("expiryDate");
        assertThat(refusals.get("negative quantity")).containsExactly("quantity");
        assertThat(refusals.get("blank name")).containsExactly("name");
        assertThat(storedProducts(owner)).isZero();

        long id = id(api.post("/api/products", owner, valid));
        Map<String, Object> before = product(owner, id);
        assertThat(fieldsNamedIn(expect400(api.put("/api/products/" + id, owner, with(valid, "expiryDate", "2031-13-01")))))
                .containsExactly("expiryDate");
        assertThat(fieldsNamedIn(expect400(api.patch("/api/products/" + id, owner, Map.of("quantity", -5)))))
                .containsExactly("quantity");
        assertThat(fieldsNamedIn(expect400(api.patch("/api/products/" + id, owner, Map.of("name", "Skyr", "expiryDate", "soon")))))
                .containsExactly("expiryDate");
        assertThat(product(owner, id)).isEqualTo(before);
        assertThat(storedProducts(owner)).isOne();
    }

    @Test
    void anotherUsersProductIsNotFoundForEveryVerbAndStaysAsItWas() throws Exception {
        String alice = signedInUser();
        String bob = signedInUser();
        long bobs = id(api.post("/api/products", bob, Map.of("name", "Bob's cake", "quantity", 1, "expiryDate", "2031-02-02")));
        Map<String, Object> before = product(bob, bobs);
        long missing = bobs + 1_000_000;

        List<Api.Response> attempts = List.of(
                api.get("/api/products/" + bobs, alice),
                api.put("/api/products/" + bobs, alice, Map.of("name", "Mine now", "quantity", 0)),
                api.patch("/api/products/" + bobs, alice, Map.of("quantity", 0)),
                api.delete("/api/products/" + bobs, alice));
        List<Api.Response> nonexistent = List.of(
                api.get("/api/products/" + missing, alice),
                api.put("/api/products/" + missing, alice, Map.of("name", "Mine now", "quantity", 0)),
                api.patch("/api/products/" + missing, alice, Map.of("quantity", 0)),
                api.delete("/api/products/" + missing, alice));

        for (int i = 0; i < attempts.size(); i++) {
            assertThat(attempts.get(i).status()).isEqualTo(404);
            assertThat(attempts.get(i).json().get("detail")).isEqualTo(nonexistent.get(i).json().get("detail"));
        }
        assertThat(ids(api.get("/api/products", alice))).isEmpty();
        assertThat(product(bob, bobs)).isEqualTo(before);
    }

    @Test
    void productsNeedASignedInCaller() {
        assertThat(api.get("/api/products", null).status()).isEqualTo(401);
        assertThat(api.post("/api/products", null, Map.of("name", "x")).status()).isEqualTo(401);
    }

    private static String signedInUser() {
        String name = "owner-" + USERS.incrementAndGet();
        api.createUser(name);
        return api.login(name, Api.PASSWORD);
    }

    private static Map<String, Object> product(String token, long id) {
        Api.Response response = api.get("/api/products/" + id, token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    static long id(Api.Response created) {
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return ((Number) created.json().get("id")).longValue();
    }

    private static List<Long> ids(Api.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.items().stream().map(item -> ((Number) item.get("id")).longValue()).toList();
    }

    private static Api.Response expect400(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response;
    }

    @SuppressWarnings("unchecked")
    static List<String> fieldsNamedIn(Api.Response response) {
        Object errors = response.json().get("errors");
        return errors == null ? List.of() : ((List<Map<String, Object>>) errors).stream()
                .map(error -> (String) error.get("field")).toList();
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static long storedProducts(String token) throws Exception {
        long userId = ((Number) api.get("/api/users/me", token).json().get("id")).longValue();
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM product WHERE user_id = ?")) {
            query.setLong(1, userId);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }
}
