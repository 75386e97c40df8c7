package dev.herald.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Set;

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

    @Serdeable
    record UserView(long id, String username, Set<String> roles) {

        static UserView of(User user) {
            return new UserView(user.id(), user.username(), user.roles());
        }
    }
}
