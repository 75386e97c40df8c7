package dev.herald.inventory;

import dev.herald.ops.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An owner's products: adding, reading, changing, removing, and what their expiry dates mean in the
 * owner's time zone. Every method takes the owner; a product of someone else is "not found".
 */
@Singleton
class ProductService {

    static final String NOT_FOUND = "Product not found";
    static final Set<String> STATUSES = Set.of("active", "expiring", "expired");

    private final ProductRepository products;
    private final UserTimeZones zones;
    private final InventoryConfig config;

    ProductService(ProductRepository products, UserTimeZones zones, InventoryConfig config) {
        this.products = products;
        this.zones = zones;
        this.config = config;
    }

    /** A page of products; {@code nextOffset} asks for the next one, null at the end. */
    @Serdeable
    record ProductPage(List<Product> items, @Nullable Integer nextOffset) {
    }

    /** Adds a product; the expiry, when it is a date, ends with that day in the owner's zone. */
    @Transactional
    Product add(long ownerId, String name, int quantity, @Nullable String notes, @Nullable ExpiryDate expiry,
                ProductRepository.Origin origin) {
        return products.insert(ownerId, fields(ownerId, name, quantity, notes, expiry), origin, Instant.now());
    }

    @ReadOnly
    Product get(long ownerId, long id) {
        return products.find(ownerId, id, Instant.now()).orElseThrow(ProductService::notFound);
    }

    @ReadOnly
    ProductPage list(long ownerId, @Nullable String status, @Nullable Integer limit, @Nullable Integer offset) {
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidRequestException("status", "must be one of active, expiring, expired");
        }
        int size = Math.min(limit == null ? config.defaultPageSize() : limit, config.maxPageSize());
        int from = offset == null ? 0 : offset;
        List<Product> page = products.list(ownerId, status, size + 1, from, Instant.now());
        boolean more = page.size() > size;
        return new ProductPage(more ? page.subList(0, size) : page, more ? from + size : null);
    }

    @Transactional
    Product replace(long ownerId, long id, ProductRequests.ProductRequest request) {
        ExpiryDate expiry = request.expiryDate() == null ? null : ExpiryDate.parse(request.expiryDate());
        return update(ownerId, id, fields(ownerId, request.name(), request.quantityOrDefault(), request.notes(), expiry));
    }

    @Transactional
    Product patch(long ownerId, long id, ProductRequests.ProductPatch patch) {
        ExpiryDate newExpiry = patch.expiryDate() == null ? null : ExpiryDate.parse(patch.expiryDate());
        // The zone before the product, in the order a move to another zone takes them: the other order
        // deadlocks with a move made meanwhile.
        ZoneId zone = zones.forWriting(ownerId);
        Product current = products.findForUpdate(ownerId, id, Instant.now()).orElseThrow(ProductService::notFound);
        return update(ownerId, id, fields(zone,
                patch.name() != null ? patch.name() : current.name(),
                patch.quantity() != null ? patch.quantity() : current.quantity(),
                patch.notes() != null ? patch.notes() : current.notes(),
                newExpiry != null ? newExpiry : current.expiry()));
    }

    @Transactional
    void delete(long ownerId, long id) {
        if (!products.delete(ownerId, id)) {
            throw notFound();
        }
    }

    @ReadOnly
    ZoneId timeZone(long ownerId) {
        return zones.of(ownerId);
    }

    /**
     * Moves the owner to another zone. Their date-only expiries now end at midnight there, so their
     * instants are resolved again, in the same transaction. Notices already sent stay sent.
     */
    @Transactional
    ZoneId moveToTimeZone(long ownerId, String timeZone) {
        ZoneId zone = parseZone(timeZone);
        zones.set(ownerId, zone);
        Map<LocalDate, Instant> endOfDay = new LinkedHashMap<>();
        for (LocalDate date : products.expiryDates(ownerId)) {
            endOfDay.put(date, ExpiryDate.of(date).expiresAt(zone));
        }
        products.resolveExpiryDates(ownerId, endOfDay);
        return zone;
    }

    private Product update(long ownerId, long id, ProductRepository.Fields fields) {
        return products.update(ownerId, id, fields, Instant.now()).orElseThrow(ProductService::notFound);
    }

    private ProductRepository.Fields fields(long ownerId, String name, int quantity, @Nullable String notes,
                                            @Nullable ExpiryDate expiry) {
        return fields(expiry == null ? null : zones.forWriting(ownerId), name, quantity, notes, expiry);
    }

    /** {@code zone} locked by {@link UserTimeZones#forWriting}; null only when there is no expiry date. */
    private static ProductRepository.Fields fields(@Nullable ZoneId zone, String name, int quantity,
                                                   @Nullable String notes, @Nullable ExpiryDate expiry) {
        Instant expiresAt = expiry == null ? null : expiry.expiresAt(zone);
        return new ProductRepository.Fields(name.strip(), quantity, notes, expiry, expiresAt);
    }

    private static ZoneId parseZone(String timeZone) {
        try {
            return ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            throw new InvalidRequestException("timeZone", "must be a time zone such as Europe/Berlin, UTC or +02:00");
        }
    }

    private static HttpStatusException notFound() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, NOT_FOUND);
    }
}
