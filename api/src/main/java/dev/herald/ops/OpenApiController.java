package dev.herald.ops;

import dev.herald.Application;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;

/**
 * {@code GET /openapi}, where the brief puts the API's description, leads to the document the build
 * generates under a name that carries the version (served as a static resource, with the rest of
 * {@code /openapi/**}).
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
final class OpenApiController {

    static final URI DOCUMENT = URI.create("/openapi/herald-" + Application.API_VERSION + ".yml");

    @Hidden
    @Get("/openapi")
    HttpResponse<?> document() {
        return HttpResponse.temporaryRedirect(DOCUMENT);
    }
}
