package dev.herald.auth;

import jakarta.inject.Singleton;
import java.util.Optional;

/** What other features may ask about accounts: who exists, by name or id. */
@Singleton
public final class UserDirectory {

    private final UserRepository users;

    UserDirectory(UserRepository users) {
        this.users = users;
    }

    public Optional<Long> idOf(String username) {
        return users.findByUsername(username).map(User::id);
    }

    public boolean exists(long userId) {
        return users.findById(userId).isPresent();
    }
}
