package dev.herald.auth;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.UUID;

/** The caller's own sign-ins (password and paired devices), and revoking one of them. */
@Controller("/api/auth/sessions")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class SessionController {

    private final RefreshTokenStore refreshTokens;

    SessionController(RefreshTokenStore refreshTokens) {
        this.refreshTokens = refreshTokens;
    }

    @Get
    AccountViews.Sessions list(Caller caller) {
        return new AccountViews.Sessions(refreshTokens.sessions(caller.userId()));
    }

    /**
     * Its refresh token stops working at once; access tokens already issued run out on their own (they are
     * short-lived and checked without the database). Someone else's id is as unknown as a made-up one.
     */
    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    void revoke(Caller caller, UUID id) {
        if (!refreshTokens.revokeSession(caller.userId(), id)) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "No such session");
        }
    }
}
