package dev.herald;

import dev.herald.inventory.ExpiryCheckCommand;
import io.micronaut.runtime.Micronaut;
import java.util.Arrays;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;

@OpenAPIDefinition(info = @Info(
        title = "Herald",
        version = Application.API_VERSION,
        description = "Self-hosted real-time notification service"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class Application {

    /** The API's version, which names the OpenAPI document generated at build time. */
    public static final String API_VERSION = "0.1";

    /** Starts the server, or with {@code expiry-check} runs one expiry check and exits with its status. */
    public static void main(String[] args) {
        if (args.length > 0 && ExpiryCheckCommand.NAME.equals(args[0])) {
            System.exit(ExpiryCheckCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        Micronaut.run(Application.class, args);
    }
}
