package dev.herald.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Sensitive management endpoints (the Prometheus scrape) are for admins: any user may sign in, so "signed
 * in", Micronaut's own bar, would show every user the server's internals.
 */
@Singleton
@Replaces(SensitiveEndpointRule.class)
final class AdminOnlyEndpoints extends SensitiveEndpointRule {

    AdminOnlyEndpoints(EndpointSensitivityProcessor endpoints) {
        super(endpoints);
    }

    @Override
    protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(HttpRequest<?> request, Authentication authentication,
                                                                       ExecutableMethod<?, ?> method) {
        return Publishers.just(authentication.getRoles().contains(Roles.ADMIN) ? SecurityRuleResult.ALLOWED
                : SecurityRuleResult.REJECTED);
    }
}
