package dev.herald.auth;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

@Controller("/api/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class AuthController {

    private final AccountService accounts;

    AuthController(AccountService accounts) {
        this.accounts = accounts;
    }

    /** Password sign-in; 401 with one message whether the user or the password was wrong. */
    @Post("/login")
    AccountViews.Tokens login(@Body @Valid AccountRequests.Login request) {
        return accounts.login(request.username(), request.password());
    }

    /** Exchanges a refresh token for new tokens. The old refresh token stops working. */
    @Post("/refresh")
    AccountViews.Tokens refresh(@Body @Valid AccountRequests.Refresh request) {
        return accounts.refresh(request.refreshToken());
    }

    /** Revokes the refresh token and every token rotated from the same sign-in. */
    @Post("/logout")
    @Status(HttpStatus.NO_CONTENT)
    void logout(@Body @Valid AccountRequests.Refresh request) {
        accounts.signOut(request.refreshToken());
    }
}
