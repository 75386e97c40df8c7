package dev.herald.auth;

import java.util.Set;

/**
 * The authenticated user a request acts for. Controllers declare it as a parameter (see
 * {@link CallerBinder}); every query that takes an id also takes {@link #userId()}.
 */
public record Caller(long userId, String username, Set<String> roles) {
}
