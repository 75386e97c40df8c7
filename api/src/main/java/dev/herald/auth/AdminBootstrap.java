package dev.herald.auth;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On first start (no user at all) creates {@code admin} with {@code HERALD_ADMIN_PASSWORD}. Also the first
 * touch of the database at start-up, so a node that cannot reach it fails fast rather than on first use.
 */
@Singleton
final class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final AuthConfig config;

    AdminBootstrap(UserRepository users, PasswordHasher passwords, AuthConfig config) {
        this.users = users;
        this.passwords = passwords;
        this.config = config;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (users.count() > 0) {
            return; // every start but the first: no bcrypt of the admin password (a quarter of a second at cost 12)
        }
        String password = config.adminPassword();
        if (password != null && !password.isBlank()) {
            // Replicas starting together may all get here: the insert happens only while there is no user.
            if (users.insertIfNoUsers("admin", passwords.hash(password), Set.of(Roles.ADMIN, Roles.PUBLISHER, Roles.USER))) {
                LOG.info("Created the user 'admin' from HERALD_ADMIN_PASSWORD");
            }
        } else {
            LOG.warn("No user exists yet. Set HERALD_ADMIN_PASSWORD and restart to create the user 'admin'.");
        }
    }
}
