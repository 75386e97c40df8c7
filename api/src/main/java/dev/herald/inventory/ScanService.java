package dev.herald.inventory;

import dev.herald.notification.PublishService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Adds what a camera's object detector saw: the product, with an expiry from the shelf-life table when
 * the detector gave none and nutrition facts when the label names a known food, then tells the owner with
 * a {@code product_scanned} notification. A detection below the confidence floor is refused and stores
 * nothing.
 */
@Singleton
final class ScanService {

    static final String GIVEN = "given";
    static final String SHELF_LIFE = "shelf-life";
    static final String NONE = "none";

    private final ProductService products;
    private final UserTimeZones zones;
    private final FoodLabels labels;
    private final ShelfLife shelfLife;
    private final NutritionFacts nutrition;
    private final PublishService notifications;
    private final InventoryConfig config;

    ScanService(ProductService products, UserTimeZones zones, FoodLabels labels, ShelfLife shelfLife,
                NutritionFacts nutrition, PublishService notifications, InventoryConfig config) {
        this.products = products;
        this.zones = zones;
        this.labels = labels;
        this.shelfLife = shelfLife;
        this.nutrition = nutrition;
        this.notifications = notifications;
        this.config = config;
    }

    /**
     * What a scan did. {@code recognized} is false for a label that names no known food: the product is
     * stored without nutrition facts, and {@code message} says so. {@code expirySource} is {@code given},
     * {@code shelf-life} or {@code none}.
     */
    @Serdeable
    record ScanResult(Product product, boolean recognized, String expirySource, String message,
                      @Nullable Map<String, String> nutritionUnits, UUID notificationId) {
    }

    ScanResult scan(long ownerId, ProductRequests.ScanRequest scan) {
        ExpiryDate given = scan.expiryDate() == null ? null : ExpiryDate.parse(scan.expiryDate());
        if (scan.confidence() < config.minScanConfidence()) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "The detector's confidence "
                    + scan.confidence() + " is below " + config.minScanConfidence() + ": nothing was stored");
        }
        Optional<String> food = labels.foodOf(scan.label());
        Optional<NutritionFacts.Facts> facts = food.flatMap(nutrition::of);
        ExpiryDate expiry = given;
        String expirySource = given != null ? GIVEN : NONE;
        Optional<ShelfLife.Keeps> keeps = food.flatMap(shelfLife::of);
        if (expiry == null && keeps.isPresent()) {
            LocalDate today = LocalDate.now(zones.of(ownerId));
            expiry = ExpiryDate.of(today.plusDays(keeps.get().days()));
            expirySource = SHELF_LIFE;
        }
        String name = displayName(food.orElse(scan.label()));
        Product product = products.add(ownerId, name, scan.quantityOrDefault(), null, expiry,
                new ProductRepository.Origin(Product.SCAN, food.orElse(null), facts.map(NutritionFacts.Facts::per100g).orElse(null)));

        String message = message(product, scan.label(), facts.isPresent(), expirySource);
        // Published after the product committed, in publish's own transaction; keyed by the product so that
        // the notice names exactly one product.
        PublishService.PublishResult published = notifications.publish(InventoryNotices.HERALD,
                InventoryNotices.scanned(product, scan.label(), scan.confidence(), expirySource, facts,
                        nutrition.units(), message),
                "scan:" + product.id());
        return new ScanResult(product, facts.isPresent(), expirySource, message,
                facts.isPresent() ? nutrition.units() : null, published.notification().id());
    }

    private static String message(Product product, String label, boolean recognized, String expirySource) {
        StringBuilder message = new StringBuilder(product.name()).append(" added to your inventory");
        message.append(switch (expirySource) {
            case SHELF_LIFE -> ", expiring " + product.expiryDate() + " (typical shelf life)";
            case GIVEN -> ", expiring " + product.expiryDate();
            default -> " without an expiry date";
        });
        message.append(recognized
                ? "; nutrition facts per 100 g attached."
                : "; \"" + label.strip() + "\" is not a food Herald knows, so no nutrition facts are attached.");
        return message.toString();
    }

    /** {@code bell pepper} is shown as {@code Bell pepper}. */
    private static String displayName(String name) {
        String stripped = name.strip();
        return stripped.substring(0, 1).toUpperCase(Locale.ROOT) + stripped.substring(1);
    }
}
