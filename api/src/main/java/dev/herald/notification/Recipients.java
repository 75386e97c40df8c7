package dev.herald.notification;

import dev.herald.auth.UserDirectory;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the users that publish requests name, with one query for all the names and (when asked to check
 * them) one for all the ids of however many requests. A user named twice in one request gets one
 * notification.
 */
@Singleton
final class Recipients {

    private final UserDirectory users;

    Recipients(UserDirectory users) {
        this.users = users;
    }

    /**
     * The recipients of one request (not a broadcast).
     *
     * @param userIds the users, in the order the request names them, each once
     * @param missing the names or ids the request gives that are nobody's
     */
    record Resolved(List<Long> userIds, List<String> missing) {
    }

    /**
     * Resolves each request's recipients (none for a null request); the answer is in the requests' order.
     *
     * @param checkIds whether to look the ids up; when not, every id is taken as found, for a caller whose
     *                 write finds the unknown ones anyway (the writer's seq reservation does)
     */
    List<Resolved> resolve(List<PublishRequest> requests, boolean checkIds) {
        Set<String> names = new HashSet<>();
        Set<Long> ids = new HashSet<>();
        for (PublishRequest request : requests) {
            names.addAll(namesIn(request));
            ids.addAll(idsIn(request));
        }
        Map<String, Long> byName = users.idsByName(names);
        Set<Long> existing = checkIds ? users.existing(ids) : ids;
        List<Resolved> resolved = new ArrayList<>(requests.size());
        for (PublishRequest request : requests) {
            Set<Long> found = new LinkedHashSet<>();
            List<String> missing = new ArrayList<>();
            for (String name : namesIn(request)) {
                Long id = byName.get(name.toLowerCase(Locale.ROOT));
                if (id == null) {
                    missing.add(name);
                } else {
                    found.add(id);
                }
            }
            for (Long id : idsIn(request)) {
                if (existing.contains(id)) {
                    found.add(id);
                } else {
                    missing.add(String.valueOf(id));
                }
            }
            resolved.add(new Resolved(List.copyOf(found), missing));
        }
        return resolved;
    }

    private static Collection<String> namesIn(PublishRequest request) {
        if (request == null) {
            return List.of();
        }
        if (request.username() != null) {
            return List.of(request.username());
        }
        return request.usernames() == null ? List.of() : request.usernames();
    }

    private static Collection<Long> idsIn(PublishRequest request) {
        if (request == null) {
            return List.of();
        }
        if (request.userId() != null) {
            return List.of(request.userId());
        }
        return request.userIds() == null ? List.of() : request.userIds();
    }
}
