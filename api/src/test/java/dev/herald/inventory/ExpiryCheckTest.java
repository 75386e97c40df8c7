package dev.herald.inventory;

import static dev.herald.WsClient.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import dev.herald.notification.PublishService;
import dev.herald.notification.PublishedEventRecorder;
import io.micronaut.context.exceptions.NoSuchBeanException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The expiry check, run at chosen instants. Each test starts with no products, since a check looks at
 * everyone's.
 */
class ExpiryCheckTest {

    static final int BATCH = 4; // small, so that concurrent checks interleave across many batches

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.inventory.scheduled-checks", false,
            "herald.inventory.check-batch-size", BATCH,
            "test.record-published-events", true));
    static final AtomicInteger USERS = new AtomicInteger();
    static Api api;
    static ExpiryCheck check;

    @BeforeAll
    static void start() {
        api = herald.api();
        check = herald.bean(ExpiryCheck.class);
    }

    @BeforeEach
    void noProducts() throws Exception {
        try (Connection db = herald.db(); Statement statement = db.createStatement()) {
            statement.execute("DELETE FROM product");
        }
    }

    @Test
    void theSameDateExpiresAtTheEndOfThatDayInEachOwnersZone() throws Exception {
        Owner auckland = owner("Pacific/Auckland");
        Owner losAngeles = owner("America/Los_Angeles");
        auckland.add("Milk", "2031-06-01");
        losAngeles.add("Milk", "2031-06-01");

        check.run(Instant.parse("2031-06-01T11:59:59Z"));
        assertThat(auckland.notified("product_expiration")).isZero();
        assertThat(losAngeles.notified("product_expiration")).isZero();

        check.run(Instant.parse("2031-06-01T12:00:00Z")); // midnight in Auckland (NZST, UTC+12)
        assertThat(auckland.notified("product_expiration")).isOne();
        assertThat(losAngeles.notified("product_expiration")).isZero();

        check.run(Instant.parse("2031-06-02T06:59:59Z"));
        assertThat(losAngeles.notified("product_expiration")).isZero();

        check.run(Instant.parse("2031-06-02T07:00:00Z")); // midnight in Los Angeles (PDT, UTC-7)
        assertThat(losAngeles.notified("product_expiration")).isOne();
        assertThat(auckland.notified("product_expiration")).isOne();

        Map<String, Object> notice = api.get("/api/notifications?type=product_expiration", losAngeles.token).items().getFirst();
        assertThat(notice).containsEntry("message", "Product Milk has expired");
        assertThat(notice.get("data")).isEqualTo(Map.of("productId", losAngeles.products.getFirst().intValue(),
                "productName", "Milk", "expiryDate", "2031-06-01", "expiresAt", "2031-06-02T07:00:00Z"));
    }

    @Test
    void fourConcurrentChecksAndThenMoreSendEachWarningAndEachExpirationExactlyOnce() throws Exception {
        Owner alice = owner("UTC");
        int products = 30;
        for (int i = 0; i < products; i++) {
            alice.add("Item " + i, Instant.parse("2040-01-10T00:00:00Z").plusSeconds(60L * i).toString());
        }
        try (WsClient device = WsClient.withToken(api, alice.token)) {
            device.next("connected");

            List<Map<String, Object>> warnings = sentOnceEach(alice, device, "product_expiring", ExpiryCheck.Summary::warned,
                    Instant.parse("2040-01-09T00:00:00Z"), Instant.parse("2040-01-09T12:00:00Z"));
            List<Map<String, Object>> expirations = sentOnceEach(alice, device, "product_expiration", ExpiryCheck.Summary::expired,
                    Instant.parse("2040-01-11T00:00:00Z"), Instant.parse("2040-02-01T00:00:00Z"));

            assertThat(alice.notified("product_expiring")).as("no warning after the expiration").isEqualTo(products);
            List<Long> seqs = new ArrayList<>();
            warnings.forEach(n -> seqs.add(((Number) n.get("seq")).longValue()));
            expirations.forEach(n -> seqs.add(((Number) n.get("seq")).longValue()));
            assertThat(seqs).as("one gap-free stream").containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, 2L * products).boxed().toList());
        }
    }

    /**
     * Runs four checks at once at {@code at}, four more, then one at {@code later}, and asserts that the
     * notice of that type was created once per product, stored once and received once. Returns what the
     * device received.
     */
    private static List<Map<String, Object>> sentOnceEach(Owner owner, WsClient device, String type,
                                                          ToIntFunction<ExpiryCheck.Summary> sent, Instant at,
                                                          Instant later) throws Exception {
        List<ExpiryCheck.Summary> first = concurrently(4, at);
        List<ExpiryCheck.Summary> again = concurrently(4, at);
        ExpiryCheck.Summary onceMore = check.run(later);
        List<Map<String, Object>> received = notifications(device.drain(Duration.ofSeconds(1)));

        assertThat(first.stream().mapToInt(sent).sum()).as("created by the first four checks").isEqualTo(owner.products.size());
        assertThat(again.stream().mapToInt(sent).sum() + sent.applyAsInt(onceMore)).as("created by later checks").isZero();
        assertThat(owner.notifiedProducts(type)).as("stored").containsExactlyInAnyOrderElementsOf(owner.products);
        assertThat(received).extracting(n -> n.get("type")).as("received").containsOnly(type);
        assertThat(received.stream().map(ExpiryCheckTest::productIdOf).toList()).as("received")
                .containsExactlyInAnyOrderElementsOf(owner.products);
        return received;
    }

    @Test
    void productsOfOneOwnerNeverNotifyAnother() throws Exception {
        Owner alice = owner("UTC");
        Owner bob = owner("Europe/Berlin");
        alice.add("Alice's jam", "2032-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            bob.add("Bob's " + i, "2032-01-01T00:00:00Z");
        }
        try (WsClient alicesDevice = WsClient.withToken(api, alice.token); WsClient bobsDevice = WsClient.withToken(api, bob.token)) {
            alicesDevice.next("connected");
            bobsDevice.next("connected");

            check.run(Instant.parse("2031-12-31T00:00:00Z"));
            check.run(Instant.parse("2032-01-02T00:00:00Z"));

            List<Map<String, Object>> alices = notifications(alicesDevice.drain(Duration.ofSeconds(1)));
            assertThat(alices).hasSize(2).allSatisfy(n -> assertThat(productIdOf(n)).isEqualTo(alice.products.getFirst()));
            assertThat(notifications(bobsDevice.drain(Duration.ofMillis(200)))).hasSize(10)
                    .allSatisfy(n -> assertThat(bob.products).contains(productIdOf(n)));
            assertThat(alice.notifiedProducts("product_expiring")).containsExactlyElementsOf(alice.products);
            assertThat(alice.notifiedProducts("product_expiration")).containsExactlyElementsOf(alice.products);
            assertThat(bob.notifiedProducts("product_expiration")).containsExactlyInAnyOrderElementsOf(bob.products);
        }
    }

    @Test
    void aProductFoundAlreadyExpiredGetsItsExpirationButNoLateWarning() throws Exception {
        Owner owner = owner("UTC");
        owner.add("Forgotten soup", "2033-03-03T00:00:00Z");

        ExpiryCheck.Summary late = check.run(Instant.parse("2033-03-04T00:00:00Z"));
        ExpiryCheck.Summary later = check.run(Instant.parse("2033-03-05T00:00:00Z"));

        assertThat(late.expired()).isOne();
        assertThat(late.warned()).isZero();
        assertThat(later.expired() + later.warned()).isZero();
        assertThat(owner.notified("product_expiring")).isZero();
        assertThat(owner.notified("product_expiration")).isOne();
    }

    @Test
    void aCheckThatDiedAfterClaimingIsTakenOverOnceItsClaimLapses() throws Exception {
        Owner owner = owner("UTC");
        for (int i = 0; i < 3; i++) {
            owner.add("Claimed " + i, "2034-01-01T00:00:00Z");
        }
        Instant at = Instant.parse("2034-01-02T00:00:00Z");
        List<DueProduct> claimed = herald.bean(DueProducts.class)
                .claim(ExpiryNotice.EXPIRED, at, Duration.ofDays(2), 10, Duration.ofMinutes(5)); // and then it died

        ExpiryCheck.Summary whileClaimed = check.run(at);
        lapseClaims();
        ExpiryCheck.Summary takenOver = check.run(at);
        ExpiryCheck.Summary again = check.run(at);

        assertThat(claimed).hasSize(3);
        assertThat(whileClaimed.expired()).as("claimed rows are left to their claimant").isZero();
        assertThat(takenOver.expired()).isEqualTo(3);
        assertThat(again.expired()).isZero();
        assertThat(owner.notifiedProducts("product_expiration")).containsExactlyInAnyOrderElementsOf(owner.products);
    }

    @Test
    void aCheckThatDiedAfterPublishingIsNotRepeatedEvenIfTheProductChangedMeanwhile() throws Exception {
        Owner owner = owner("UTC");
        owner.add("Cream", "2035-05-05T00:00:00Z");
        owner.add("Butter", "2035-05-05T00:00:00Z");
        Instant at = Instant.parse("2035-05-06T00:00:00Z");
        try (WsClient device = WsClient.withToken(api, owner.token)) {
            device.next("connected");
            // A node claims both products and publishes both notices, then dies before recording them.
            for (DueProduct due : herald.bean(DueProducts.class)
                    .claim(ExpiryNotice.EXPIRED, at, Duration.ofDays(2), 10, Duration.ofMinutes(5))) {
                herald.bean(PublishService.class).publish(InventoryNotices.HERALD,
                        InventoryNotices.of(ExpiryNotice.EXPIRED, due), ExpiryNotice.EXPIRED.idempotencyKey(due.id()));
            }
            assertThat(notifications(device.drain(Duration.ofSeconds(1)))).hasSize(2);
            // Meanwhile the owner renames one, so a replay of its notice would no longer be the same request.
            assertThat(api.patch("/api/products/" + owner.products.getFirst(), owner.token, Map.of("name", "Sour cream"))
                    .status()).isEqualTo(200);
            lapseClaims();

            ExpiryCheck.Summary takenOver = check.run(at);

            assertThat(takenOver.expired()).as("nothing new was created").isZero();
            assertThat(owner.notifiedProducts("product_expiration")).containsExactlyInAnyOrderElementsOf(owner.products);
            assertThat(device.drain(Duration.ofSeconds(1))).as("no device is told twice").isEmpty();
            assertThat(herald.bean(DueProducts.class).claim(ExpiryNotice.EXPIRED, at, Duration.ofDays(2), 10,
                    Duration.ofMinutes(5))).as("both are recorded as done").isEmpty();
        }
    }

    @Test
    void everyExpiryNotificationIsCommittedBeforeItIsAnnounced() throws Exception {
        Owner owner = owner("UTC");
        for (int i = 0; i < 6; i++) {
            owner.add("Announced " + i, "2036-06-06T00:00:00Z");
        }

        check.run(Instant.parse("2036-06-05T00:00:00Z"));
        check.run(Instant.parse("2036-06-07T00:00:00Z"));

        List<UUID> ids = owner.notificationIds();
        assertThat(ids).hasSize(12);
        Map<UUID, Boolean> recorded = herald.bean(PublishedEventRecorder.class).committedWhenRaised;
        assertThat(ids).allSatisfy(id -> assertThat(recorded).containsEntry(id, true));
    }

    @Test
    void adminsAndSchedulersMayRunTheCheckOverRestAndGetASummary() throws Exception {
        Owner owner = owner("UTC");
        owner.add("Already off", Instant.now().minusSeconds(3600).toString());
        owner.add("Nearly off", Instant.now().plus(Duration.ofDays(1)).toString());
        api.createUser("cron-" + USERS.incrementAndGet(), "scheduler");
        String scheduler = api.login("cron-" + USERS.get(), Api.PASSWORD);

        Api.Response plain = api.post("/api/jobs/expiry-check", owner.token, "");
        Api.Response anonymous = api.post("/api/jobs/expiry-check", null, "");
        Api.Response bySchedule = api.post("/api/jobs/expiry-check", scheduler, "");
        Api.Response byAdmin = api.post("/api/jobs/expiry-check", api.adminToken(), "");

        assertThat(plain.status()).isEqualTo(403);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(bySchedule.status()).as(bySchedule.body()).isEqualTo(200);
        assertThat(bySchedule.json()).containsEntry("warned", 1).containsEntry("expired", 1)
                .containsKeys("checkedAt", "durationMs");
        assertThat(byAdmin.json()).containsEntry("warned", 0).containsEntry("expired", 0);
        assertThat(owner.notified("product_expiring") + owner.notified("product_expiration")).isEqualTo(2);
    }

    @Test
    void noScheduleRunsWhenScheduledChecksAreOff() {
        assertThatThrownBy(() -> herald.bean(ScheduledExpiryCheck.class)).isInstanceOf(NoSuchBeanException.class);
    }

    private static List<ExpiryCheck.Summary> concurrently(int threads, Instant at) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<ExpiryCheck.Summary>> runs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            runs.add(() -> {
                start.await();
                return check.run(at);
            });
        }
        List<ExpiryCheck.Summary> summaries = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<ExpiryCheck.Summary>> futures = runs.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<ExpiryCheck.Summary> future : futures) {
                summaries.add(future.get());
            }
        }
        return summaries;
    }

    private static void lapseClaims() throws Exception {
        try (Connection db = herald.db(); Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE product SET claimed_until = now() - interval '1 second' WHERE claimed_until IS NOT NULL");
        }
    }

    private static List<Map<String, Object>> notifications(List<Map<String, Object>> messages) {
        return messages.stream().filter(m -> "notification".equals(m.get("type"))).map(WsClient::payload).toList();
    }

    @SuppressWarnings("unchecked")
    private static long productIdOf(Map<String, Object> notification) {
        return ((Number) ((Map<String, Object>) notification.get("data")).get("productId")).longValue();
    }

    private static Owner owner(String zone) {
        String name = "owner-" + USERS.incrementAndGet();
        long id = api.createUser(name);
        String token = api.login(name, Api.PASSWORD);
        assertThat(api.put("/api/users/me/time-zone", token, Map.of("timeZone", zone)).status()).isEqualTo(200);
        return new Owner(id, token, new ArrayList<>());
    }

    /** A user with products, and what the notification table holds for them. */
    record Owner(long id, String token, List<Long> products) {

        void add(String name, String expiryDate) {
            products.add(ProductsTest.id(api.post("/api/products", token, Map.of("name", name, "expiryDate", expiryDate))));
        }

        long notified(String type) throws Exception {
            return notifiedProducts(type).size();
        }

        /** The product of each notification of that type the owner has, one entry per notification. */
        List<Long> notifiedProducts(String type) throws Exception {
            try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                    "SELECT (data ->> 'productId')::bigint FROM notification WHERE user_id = ? AND type = ?")) {
                query.setLong(1, id);
                query.setString(2, type);
                ResultSet rs = query.executeQuery();
                List<Long> products = new ArrayList<>();
                while (rs.next()) {
                    products.add(rs.getLong(1));
                }
                return products;
            }
        }

        List<UUID> notificationIds() throws Exception {
            try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                    "SELECT id FROM notification WHERE user_id = ? AND type IN ('product_expiring', 'product_expiration')")) {
                query.setLong(1, id);
                ResultSet rs = query.executeQuery();
                List<UUID> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
                return ids;
            }
        }
    }
}
