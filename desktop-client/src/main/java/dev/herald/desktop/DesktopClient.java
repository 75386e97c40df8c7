package dev.herald.desktop;

import java.net.URI;

/**
 * Entry point of the desktop tray client. The JavaFX client is built in a later step; until then this
 * main only validates the server address it would connect to, so the module builds and ships.
 */
public final class DesktopClient {

    private DesktopClient() {
    }

    public static void main(String[] args) {
        URI server = serverAddress(args.length > 0 ? args[0] : System.getenv("HERALD_URL"));
        System.out.println("Herald desktop client (preview): would connect to " + server);
    }

    /** The server to use: the given address, or the local default; only http and https are accepted. */
    static URI serverAddress(String given) {
        if (given == null || given.isBlank()) {
            return URI.create("http://localhost:8080");
        }
        URI uri = URI.create(given.strip());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("Server address must start with http:// or https://: " + given);
        }
        return uri;
    }
}
