package dev.herald.inventory;

import dev.herald.notification.PublishRequest;
import io.micronaut.core.annotation.Nullable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wording and data of the notifications the inventory publishes. Built only from what is stored, so a
 * notice built again for the same product is the same request, which is what lets its idempotency key
 * replay it rather than conflict (see {@link ExpiryCheck}).
 */
final class InventoryNotices {

    /**
     * The publisher id of Herald's own notices. User ids start at 1, so it never names a user, and it keeps
     * Herald's idempotency keys apart from any publisher's.
     */
    static final long HERALD = 0;
    static final String SCANNED_TYPE = "product_scanned";
    private static final List<String> TAGS = List.of("inventory");

    private InventoryNotices() {
    }

    static PublishRequest expiring(DueProduct product) {
        String when = product.expiry().date() != null ? "on " + product.expiry() : "at " + product.expiry();
        return notice(product, ExpiryNotice.EXPIRING, "Product expiring soon",
                "Product " + product.name() + " expires " + when, 3);
    }

    static PublishRequest expired(DueProduct product) {
        return notice(product, ExpiryNotice.EXPIRED, "Product expired", "Product " + product.name() + " has expired", 4);
    }

    static PublishRequest of(ExpiryNotice kind, DueProduct product) {
        return kind == ExpiryNotice.EXPIRED ? expired(product) : expiring(product);
    }

    /**
     * The {@code product_scanned} notification: the stored product and, for a recognised food, its
     * nutrition facts per 100 g with their units and source.
     */
    static PublishRequest scanned(Product product, String label, double confidence, String expirySource,
                                  Optional<NutritionFacts.Facts> facts, Map<String, String> units, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("productId", product.id());
        data.put("productName", product.name());
        data.put("label", label);
        data.put("confidence", confidence);
        data.put("quantity", product.quantity());
        data.put("expiryDate", product.expiryDate());
        data.put("expiresAt", product.expiresAt() == null ? null : product.expiresAt().toString());
        data.put("expirySource", expirySource);
        data.put("recognized", facts.isPresent());
        data.put("food", product.food());
        data.put("nutrition", facts.map(NutritionFacts.Facts::per100g).orElse(null));
        data.put("nutritionBasis", facts.isPresent() ? "per 100 g" : null);
        data.put("nutritionUnits", facts.isPresent() ? units : null);
        data.put("nutritionSource", facts.map(NutritionFacts.Facts::citation).orElse(null));
        return request(product.userId(), SCANNED_TYPE, "Product scanned", message, data, 2);
    }

    private static PublishRequest notice(DueProduct product, ExpiryNotice kind, String title, String message,
                                         int priority) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("productId", product.id());
        data.put("productName", product.name());
        data.put("expiryDate", product.expiry().toString());
        data.put("expiresAt", product.expiresAt().toString());
        return request(product.userId(), kind.type(), title, message, data, priority);
    }

    private static PublishRequest request(long userId, String type, String title, @Nullable String message,
                                          Map<String, Object> data, int priority) {
        return PublishRequest.toUser(userId, type, title, message, data, priority, TAGS);
    }
}
