package dev.herald.delivery;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a live connection: this server's own and those configured
 * ({@code herald.delivery.allowed-origins}). A page elsewhere must not ride on a user's ticket or cookie.
 * Non-browser clients send no Origin and are not affected.
 */
@Singleton
final class AllowedOrigins {

    private final List<String> allowed;

    AllowedOrigins(DeliveryConfig config) {
        this.allowed = config.allowedOrigins().stream().map(AllowedOrigins::normalized).toList();
    }

    boolean allows(@Nullable String origin, @Nullable String host) {
        return origin == null || allowed.contains(normalized(origin)) || sameOrigin(origin, host);
    }

    private static boolean sameOrigin(String origin, @Nullable String host) {
        try {
            return host != null && host.equalsIgnoreCase(URI.create(origin).getAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalized(String origin) {
        String trimmed = origin.strip().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
