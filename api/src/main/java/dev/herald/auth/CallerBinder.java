package dev.herald.auth;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds {@link Caller} from the validated token. Herald's own tokens (issuer {@code herald}) carry the user id
 * in the {@code uid} claim; tokens of an external identity provider (JWKS) name the user in {@code sub}, which is looked up.
 */
@Singleton
final class CallerBinder implements TypedRequestArgumentBinder<Caller> {

    static final String USER_ID_CLAIM = "uid";

    private final UserRepository users;
    private final String ownIssuer;

    CallerBinder(UserRepository users,
                 @Property(name = "micronaut.security.token.jwt.claims-generator.issuer") String ownIssuer) {
        this.users = users;
        this.ownIssuer = ownIssuer;
    }

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> request) {
        Optional<Authentication> authentication = request.getUserPrincipal(Authentication.class);
        if (authentication.isEmpty()) {
            return BindingResult.unsatisfied();
        }
        Caller caller = toCaller(authentication.get());
        return () -> Optional.of(caller);
    }

    private Caller toCaller(Authentication authentication) {
        Set<String> roles = new HashSet<>(authentication.getRoles());
        roles.add(Roles.USER);
        Map<String, Object> claims = authentication.getAttributes();
        if (ownIssuer.equals(claims.get("iss")) && claims.get(USER_ID_CLAIM) instanceof Number id) {
            return new Caller(id.longValue(), authentication.getName(), Set.copyOf(roles));
        }
        User user = users.findByUsername(authentication.getName())
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unknown user"));
        return new Caller(user.id(), user.username(), Set.copyOf(roles));
    }
}
