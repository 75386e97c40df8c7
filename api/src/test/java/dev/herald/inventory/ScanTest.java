package dev.herald.inventory;

import static dev.herald.WsClient.payload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScanTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.inventory.scheduled-checks", false));
    static final AtomicInteger USERS = new AtomicInteger();
    static Api api;

    @BeforeAll
    static void start() {
        api = herald.api();
    }

    @Test
    void aKnownLabelAddsTheFoodWithNutritionFactsAShelfLifeExpiryAndAProductScannedNotification() throws Exception {
        String owner = signedInUser();
        try (WsClient device = WsClient.withToken(api, owner);
             WsClient expireEye = WsClient.connect(api, "/api/ws/notification?access_token=" + owner, Map.of())) {
            device.next("connected");
            expireEye.next("CONNECTION_ESTABLISHED");

            Api.Response scanned = api.post("/api/products/scan", owner,
                    Map.of("label", "Apples", "confidence", 0.92, "quantity", 3));

            assertThat(scanned.status()).as(scanned.body()).isEqualTo(201);
            Map<String, Object> result = scanned.json();
            assertThat(result).containsEntry("recognized", true).containsEntry("expirySource", "shelf-life");
            assertThat((String) result.get("message")).contains("Apple added").contains("nutrition facts per 100 g");
            assertThat(map(result, "nutritionUnits")).containsEntry("energy_kcal", "kcal").containsEntry("vitamin_a", "µg RAE");
            Map<String, Object> product = map(result, "product");
            assertThat(product).containsEntry("name", "Apple").containsEntry("quantity", 3)
                    .containsEntry("source", "scan").containsEntry("food", "apple");
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            assertThat((String) product.get("expiryDate")).isIn(
                    today.plusDays(28).toString(), today.plusDays(29).toString()); // the scan may straddle midnight
            assertThat(map(product, "nutrition")).hasSize(13).containsEntry("energy_kcal", 52.0)
                    .containsEntry("vitamin_c", 4.6).containsEntry("potassium", 107.0).containsEntry("cholesterol", 0.0);
            long productId = ((Number) product.get("id")).longValue();
            assertThat(map(api.get("/api/products/" + productId, owner).json(), "nutrition")).containsEntry("energy_kcal", 52.0);

            Map<String, Object> live = payload(device.next("notification"));
            assertThat(live).containsEntry("type", "product_scanned").containsEntry("id", result.get("notificationId"));
            Map<String, Object> data = map(live, "data");
            assertThat(data).containsEntry("productId", (int) productId).containsEntry("productName", "Apple")
                    .containsEntry("label", "Apples").containsEntry("recognized", true).containsEntry("food", "apple")
                    .containsEntry("expirySource", "shelf-life").containsEntry("nutritionBasis", "per 100 g");
            assertThat(map(data, "nutrition")).containsEntry("energy_kcal", 52.0).containsEntry("fiber", 2.4);
            assertThat((String) data.get("nutritionSource")).contains("USDA").contains("09003");

            Map<String, Object> dialect = expireEye.next("Product_Scanned");
            assertThat(map(map(dialect, "data"), "nutrition")).containsEntry("energy_kcal", 52.0);
            assertThat(storedNotification(productId)).containsEntry("type", "product_scanned")
                    .containsEntry("energy_kcal", "52.0");
        }
    }

    @Test
    void labelsAreMatchedWithoutRegardToCaseSeparatorsOrPluralsAndByOtherNames() {
        String owner = signedInUser();
        Map<String, String> expected = Map.of("TOMATOES", "tomato", "Strawberries", "strawberry", "yogurt", "yoghurt",
                "bell_pepper", "bell pepper", "Peaches", "peach", " Eggs ", "egg", "courgette", "zucchini");

        expected.forEach((label, food) -> {
            Api.Response scanned = api.post("/api/products/scan", owner, Map.of("label", label, "confidence", 0.8));
            assertThat(scanned.status()).as(label + ": " + scanned.body()).isEqualTo(201);
            assertThat(map(scanned.json(), "product")).as(label).containsEntry("food", food);
        });
    }

    @Test
    void anUnknownLabelIsStoredWithoutNutritionAndTheAnswerAndNotificationSaySo() throws Exception {
        String owner = signedInUser();
        try (WsClient device = WsClient.withToken(api, owner)) {
            device.next("connected");

            Api.Response scanned = api.post("/api/products/scan", owner, Map.of("label", "dragonfruit", "confidence", 0.7));

            assertThat(scanned.status()).as(scanned.body()).isEqualTo(201);
            assertThat(scanned.json()).containsEntry("recognized", false).containsEntry("expirySource", "none")
                    .containsEntry("nutritionUnits", null);
            assertThat((String) scanned.json().get("message")).contains("\"dragonfruit\" is not a food Herald knows");
            assertThat(map(scanned.json(), "product")).containsEntry("name", "Dragonfruit").containsEntry("food", null)
                    .containsEntry("nutrition", null).containsEntry("expiryDate", null);
            Map<String, Object> data = map(payload(device.next("notification")), "data");
            assertThat(data).containsEntry("recognized", false).containsEntry("nutrition", null)
                    .containsEntry("productName", "Dragonfruit");
        }
    }

    @Test
    void aGivenExpiryDateWinsOverTheShelfLifeTable() {
        String owner = signedInUser();

        Api.Response scanned = api.post("/api/products/scan", owner,
                Map.of("label", "milk", "confidence", 0.99, "expiryDate", "2031-09-09"));

        assertThat(scanned.json()).containsEntry("expirySource", "given");
        assertThat(map(scanned.json(), "product")).containsEntry("expiryDate", "2031-09-09")
                .containsEntry("expiresAt", "2031-09-10T00:00:00Z");
    }

    @Test
    void aLowConfidenceIsRefusedWith422AndStoresAndSendsNothing() throws Exception {
        String owner = signedInUser();
        try (WsClient device = WsClient.withToken(api, owner)) {
            device.next("connected");

            Api.Response refused = api.post("/api/products/scan", owner, Map.of("label", "banana", "confidence", 0.3));

            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat((String) refused.json().get("detail")).contains("0.3").contains("0.5");
            assertThat(api.get("/api/products", owner).items()).isEmpty();
            assertThat(api.get("/api/notifications", owner).items()).isEmpty();
            assertThat(device.drain(Duration.ofMillis(500))).isEmpty();
            Api.Response atTheFloor = api.post("/api/products/scan", owner, Map.of("label", "banana", "confidence", 0.5));
            assertThat(atTheFloor.status()).as("the floor itself is accepted").isEqualTo(201);
        }
    }

    @Test
    void malformedScansGet400AndStoreNothing() {
        String owner = signedInUser();

        List<Api.Response> refused = List.of(
                api.post("/api/products/scan", owner, Map.of("label", "apple", "confidence", 1.5)),
                api.post("/api/products/scan", owner, Map.of("label", "apple", "confidence", -0.1)),
                api.post("/api/products/scan", owner, Map.of("label", "apple")),
                api.post("/api/products/scan", owner, Map.of("confidence", 0.9)),
                api.post("/api/products/scan", owner, Map.of("label", "apple", "confidence", 0.9, "quantity", -2)),
                api.post("/api/products/scan", owner, Map.of("label", "apple", "confidence", 0.9, "expiryDate", "2031-02-30")),
                api.post("/api/products/scan", owner, Map.of("label", "apple", "confidence", 0.1, "expiryDate", "never")));

        assertThat(refused).extracting(Api.Response::status).containsOnly(400);
        assertThat(refused).extracting(ProductsTest::fieldsNamedIn).containsExactly(
                List.of("confidence"), List.of("confidence"), List.of("confidence"), List.of("label"),
                List.of("quantity"), List.of("expiryDate"), List.of("expiryDate"));
        assertThat(api.get("/api/products", owner).items()).isEmpty();
        assertThat(api.get("/api/notifications", owner).items()).isEmpty();
    }

    private static String signedInUser() {
        String name = "scanner-" + USERS.incrementAndGet();
        api.createUser(name);
        return api.login(name, Api.PASSWORD);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    private static Map<String, Object> storedNotification(long productId) throws Exception {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement("""
                SELECT type, data -> 'nutrition' ->> 'energy_kcal' FROM notification
                WHERE (data ->> 'productId')::bigint = ?""")) {
            query.setLong(1, productId);
            ResultSet rs = query.executeQuery();
            assertThat(rs.next()).isTrue();
            return Map.of("type", rs.getString(1), "energy_kcal", rs.getString(2));
        }
    }
}
