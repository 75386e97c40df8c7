package dev.herald.auth;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

@Controller("/api/users")
@ExecuteOn(TaskExecutors.BLOCKING)
class UserController {

    private final AccountService accounts;
    private final UserRepository users;

    UserController(AccountService accounts, UserRepository users) {
        this.accounts = accounts;
        this.users = users;
    }

    @Post
    @Secured(Roles.ADMIN)
    HttpResponse<AccountViews.UserView> create(@Body @Valid AccountRequests.NewUser request) {
        User user = accounts.create(request.username(), request.password(), request.roles());
        return HttpResponse.created(AccountViews.UserView.of(user));
    }

    @Get("/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    AccountViews.UserView me(Caller caller) {
        return users.findById(caller.userId()).map(AccountViews.UserView::of)
                .orElseGet(() -> new AccountViews.UserView(caller.userId(), caller.username(), caller.roles()));
    }
}
