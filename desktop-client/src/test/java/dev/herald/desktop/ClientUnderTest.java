package dev.herald.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.Backoff;
import dev.herald.desktop.net.Notification;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The real client, started in this JVM's (headless) JavaFX, with its config directory in a temp folder. */
final class ClientUnderTest {

    final FxRobot robot = new FxRobot();
    DesktopShell shell;

    ClientUnderTest start(Path configDirectory, String server) throws Exception {
        Stage primary = FxToolkit.registerPrimaryStage();
        // Short backoff so a restarted server is found again within the test's patience.
        DesktopShell.Settings settings = new DesktopShell.Settings(configDirectory, server,
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), Math::random),
                Duration.ofSeconds(120), 3, Duration.ofSeconds(2), Clock.systemUTC());
        onFx(() -> {
            Platform.setImplicitExit(false);
            shell = new DesktopShell(settings, primary, () -> { });
            shell.start(false);
            return null;
        });
        return this;
    }

    void signIn(String username, String password) throws Exception {
        robot.clickOn("#signin-username").write(username);
        robot.clickOn("#signin-password").write(password);
        robot.clickOn("#signin-submit");
        waitUntil(() -> shell.current() != null);
    }

    void quit() throws Exception {
        if (shell != null) {
            onFx(() -> {
                shell.quit();
                return null;
            });
        }
    }

    /** Quits the client, then whatever it talked to (cable, server), in that order; nulls are skipped. */
    static void stopAll(ClientUnderTest client, AutoCloseable... others) throws Exception {
        if (client != null) {
            client.quit();
        }
        for (AutoCloseable other : others) {
            if (other != null) {
                other.close();
            }
        }
    }

    List<Notification> storeItems() throws Exception {
        return onFx(() -> List.copyOf(shell.current().store().items()));
    }

    /** The title label of the center's row with that title, if the row is rendered. */
    Label rowTitle(String title) {
        return robot.lookup(".row-title").queryAllAs(Label.class).stream()
                .filter(label -> title.equals(label.getText()) && label.isVisible() && label.getScene() != null)
                .findFirst().orElse(null);
    }

    static boolean bold(Label label) {
        return label.getStyle().contains("-fx-font-weight: bold")
                && label.getFont().getStyle().toLowerCase().contains("bold");
    }

    static <T> T onFx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(30, TimeUnit.SECONDS);
    }

    static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(condition));
    }

    static void assertNever(Callable<Boolean> condition, Duration during) throws Exception {
        long end = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < end) {
            assertThat(onFx(condition)).isFalse();
            Thread.sleep(100);
        }
    }
}
