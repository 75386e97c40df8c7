package dev.herald.inventory;

import dev.herald.auth.Caller;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

/**
 * The caller's time zone, in which their date-only expiry dates end. It lives with the inventory because
 * that is what it changes: setting it moves those expiries in the same transaction.
 */
@Controller("/api/users/me/time-zone")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class TimeZoneController {

    private final ProductService products;

    TimeZoneController(ProductService products) {
        this.products = products;
    }

    @Get
    ProductRequests.TimeZoneSetting get(Caller caller) {
        return new ProductRequests.TimeZoneSetting(products.timeZone(caller.userId()).getId());
    }

    /** 200 with the zone as stored; 400 naming {@code timeZone} when it is no zone. */
    @Put
    ProductRequests.TimeZoneSetting set(Caller caller, @Body @Valid ProductRequests.TimeZoneSetting setting) {
        return new ProductRequests.TimeZoneSetting(products.moveToTimeZone(caller.userId(), setting.timeZone()).getId());
    }
}
