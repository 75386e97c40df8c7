package dev.herald.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The JSON answers of the account and token endpoints. */
final class AccountViews {

    private AccountViews() {
    }

    @Serdeable
    record Tokens(@JsonProperty("access_token") String accessToken,
                  @JsonProperty("refresh_token") String refreshToken,
                  @JsonProperty("token_type") String tokenType,
                  @JsonProperty("expires_in") long expiresIn) {
    }

    /**
     * One sign-in (refresh-token family) of the caller.
     *
     * @param id            what {@code DELETE /api/auth/sessions/{id}} takes
     * @param deviceSession whether a paired device holds it (see {@link DeviceSessions})
     * @param label         the paired device's label; null for a password sign-in
     * @param lastUsedAt    when it was last refreshed, or signed in if never
     */
    @Serdeable
    record Session(UUID id, boolean deviceSession, @Nullable String label, Instant createdAt, Instant lastUsedAt) {
    }

    @Serdeable
    record Sessions(List<Session> items) {
    }

    @Serdeable
    record UserView(long id, String username, Set<String> roles) {

        static UserView of(User user) {
            return new UserView(user.id(), user.username(), user.roles());
        }
    }
}
