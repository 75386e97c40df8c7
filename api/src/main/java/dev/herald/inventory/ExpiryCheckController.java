package dev.herald.inventory;

import dev.herald.auth.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/** Runs the expiry check now, for a cron job outside Herald (e.g. with every node scaled to zero). */
@Controller("/api/jobs/expiry-check")
@Secured({Roles.ADMIN, Roles.SCHEDULER})
@ExecuteOn(TaskExecutors.BLOCKING)
class ExpiryCheckController {

    private final ExpiryCheck check;

    ExpiryCheckController(ExpiryCheck check) {
        this.check = check;
    }

    /** {@code {"warned":N,"expired":M,"checkedAt":...,"durationMs":...}}: the notifications this run created. */
    @Post
    ExpiryCheck.Summary run() {
        return check.run();
    }
}
