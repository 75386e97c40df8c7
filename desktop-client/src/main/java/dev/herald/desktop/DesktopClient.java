package dev.herald.desktop;

import java.net.URI;
import javafx.application.Application;

/**
 * Entry point of the desktop tray client. It does not extend {@code Application}, so JavaFX starts from
 * the class path (the shaded jar) without the launcher's module check.
 */
public final class DesktopClient {

    private DesktopClient() {
    }

    public static void main(String[] args) {
        Application.launch(HeraldApplication.class, args);
    }

    /** The server to use: the given address, or the local default; only http and https are accepted. */
    public static URI serverAddress(String given) {
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
