package dev.herald.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;

/** The JSON bodies of the account and token endpoints. */
final class AccountRequests {

    private AccountRequests() {
    }

    @Serdeable
    record Login(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 256) String password) {
    }

    @Serdeable
    record Refresh(@JsonProperty("refresh_token") @NotBlank @Size(max = 128) String refreshToken) {
    }

    @Serdeable
    record NewUser(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{3,64}",
                           message = "must be 3 to 64 letters, digits, dots, dashes or underscores") String username,
                   @NotBlank @Size(min = 8, max = 256) String password,
                   @Nullable Set<@NotNull @Pattern(regexp = "user|publisher|admin|scheduler",
                           message = "must be one of user, publisher, admin, scheduler") String> roles) {
    }
}
