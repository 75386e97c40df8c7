package dev.herald.desktop;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Window;

/**
 * Entry point of the desktop tray client. It does not extend {@code Application}, so JavaFX starts from
 * the class path (the shaded jar) without the launcher's module check.
 */
public final class DesktopClient {

    private DesktopClient() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(DesktopClient::hideWindows, "herald-shutdown"));
        Application.launch(HeraldApplication.class, args);
    }

    /**
     * On SIGTERM or Ctrl+C: JavaFX 25 crashes the JVM when it goes down with windows still showing, so they
     * are hidden first (on the FX thread, briefly waited for).
     */
    private static void hideWindows() {
        CountDownLatch hidden = new CountDownLatch(1);
        try {
            Platform.runLater(() -> {
                for (Window window : Window.getWindows().toArray(Window[]::new)) {
                    window.hide();
                }
                hidden.countDown();
            });
            hidden.await(2, TimeUnit.SECONDS);
        } catch (IllegalStateException | InterruptedException e) {
            // The toolkit is already gone: nothing left to hide.
        }
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
