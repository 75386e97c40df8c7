package dev.herald.auth;

import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What other features may ask about accounts: who exists, by name or id. */
@Singleton
public final class UserDirectory {

    private final UserRepository users;

    UserDirectory(UserRepository users) {
        this.users = users;
    }

    /** The ids of the named users (names match regardless of case), keyed by lower-cased name. */
    public Map<String, Long> idsByName(Collection<String> usernames) {
        return usernames.isEmpty() ? Map.of() : users.idsByName(usernames);
    }

    /** Which of the ids name a user. */
    public Set<Long> existing(Collection<Long> userIds) {
        return userIds.isEmpty() ? Set.of() : users.existing(userIds);
    }

    /** Up to {@code limit} user ids above {@code afterId}, ascending: to visit every user in chunks. */
    public List<Long> idsAfter(long afterId, int limit) {
        return users.idsAfter(afterId, limit);
    }
}
