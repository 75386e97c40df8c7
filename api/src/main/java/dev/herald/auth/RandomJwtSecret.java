package dev.herald.auth;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Without {@code HERALD_JWT_SECRET}, gives the process a random signing secret ({@code herald.jwt.secret},
 * which the variable would otherwise set). It is made here and not by a placeholder default such as
 * {@code ${HERALD_JWT_SECRET:${random.uuid}}}: Micronaut does not resolve a placeholder nested in another's
 * default (it yields the variable's value plus a stray brace), which once made every replica sign with a
 * secret of its own even with the variable set.
 */
@ContextConfigurer
public final class RandomJwtSecret implements ApplicationContextConfigurer {

    static final String PROPERTY = "herald.jwt.secret";

    @Override
    public void configure(ApplicationContextBuilder builder) {
        String configured = System.getenv("HERALD_JWT_SECRET");
        if (configured == null || configured.isBlank()) {
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            builder.propertySources(PropertySource.of("herald-random-jwt-secret",
                    Map.of(PROPERTY, Base64.getEncoder().encodeToString(random)), Integer.MIN_VALUE));
        }
    }
}
