package dev.herald.inventory;

import dev.herald.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

/** The caller's household inventory. Another user's product answers 404, like one that does not exist. */
@Controller("/api/products")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class InventoryController {

    private final ProductService products;
    private final ScanService scans;

    InventoryController(ProductService products, ScanService scans) {
        this.products = products;
        this.scans = scans;
    }

    @Post
    HttpResponse<Product> add(Caller caller, @Body @Valid ProductRequests.ProductRequest request) {
        ExpiryDate expiry = request.expiryDate() == null ? null : ExpiryDate.parse(request.expiryDate());
        Product product = products.add(caller.userId(), request.name(), request.quantityOrDefault(), request.notes(),
                expiry, ProductRepository.Origin.MANUAL);
        return HttpResponse.created(product);
    }

    /** The caller's products, soonest expiry first; {@code status} filters by active, expiring or expired. */
    @Get
    ProductService.ProductPage list(Caller caller,
                                    @Nullable @QueryValue String status,
                                    @Nullable @QueryValue @Min(1) Integer limit,
                                    @Nullable @QueryValue @PositiveOrZero Integer offset) {
        return products.list(caller.userId(), status, limit, offset);
    }

    @Get("/{id}")
    Product get(Caller caller, @PathVariable long id) {
        return products.get(caller.userId(), id);
    }

    /** Replaces the product's name, quantity, expiry and notes; how it was added stays. */
    @Put("/{id}")
    Product replace(Caller caller, @PathVariable long id, @Body @Valid ProductRequests.ProductRequest request) {
        return products.replace(caller.userId(), id, request);
    }

    /** Changes only the fields given. */
    @Patch("/{id}")
    Product patch(Caller caller, @PathVariable long id, @Body @Valid ProductRequests.ProductPatch patch) {
        return products.patch(caller.userId(), id, patch);
    }

    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable long id) {
        products.delete(caller.userId(), id);
    }

    /**
     * Adds what a camera detector reported: 201 with the product and its nutrition facts, 422 (and nothing
     * stored) when the detector's confidence is below the floor.
     */
    @Post("/scan")
    HttpResponse<ScanService.ScanResult> scan(Caller caller, @Body @Valid ProductRequests.ScanRequest request) {
        return HttpResponse.created(scans.scan(caller.userId(), request));
    }
}
