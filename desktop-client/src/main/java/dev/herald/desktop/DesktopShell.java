package dev.herald.desktop;

import dev.herald.desktop.center.CenterView;
import dev.herald.desktop.center.CenterViewModel;
import dev.herald.desktop.net.Backoff;
import dev.herald.desktop.net.ConnectionState;
import dev.herald.desktop.net.ExecutorScheduler;
import dev.herald.desktop.net.HeraldApi;
import dev.herald.desktop.net.HttpHeraldApi;
import dev.herald.desktop.net.WebSocketConnection;
import dev.herald.desktop.session.ConfigDirectory;
import dev.herald.desktop.session.Session;
import dev.herald.desktop.session.SessionFile;
import dev.herald.desktop.signin.SignInView;
import dev.herald.desktop.signin.SignInViewModel;
import dev.herald.desktop.store.NotificationFeed;
import dev.herald.desktop.store.NotificationStore;
import dev.herald.desktop.store.ReadState;
import dev.herald.desktop.toast.ToastView;
import dev.herald.desktop.toast.ToastViewModel;
import dev.herald.desktop.tray.TrayView;
import dev.herald.desktop.tray.TrayViewModel;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Puts the client together: sign-in first (unless a saved session exists), then the connection, store,
 * toasts, center and tray of one signed-in session. Call everything on the FX thread.
 */
public final class DesktopShell {

    /** What differs between a user's desktop and a test. */
    public record Settings(Path configDirectory, String defaultServer, Backoff backoff, Duration toastHideAfter,
                           int toastStack, Duration burstWindow, Clock clock) {

        public static Settings defaults(String defaultServer) {
            return new Settings(ConfigDirectory.resolve(), defaultServer, Backoff.standard(), Duration.ofSeconds(8), 3,
                    Duration.ofSeconds(2), Clock.systemUTC());
        }
    }

    private final Settings settings;
    private final Stage primary;
    private final Runnable exit;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorScheduler scheduler = new ExecutorScheduler();
    private final SessionFile sessionFile;
    private final Executor uiThread = Platform::runLater;

    private SignedInSession current;

    /** The parts of one signed-in session, torn down together on sign-out. */
    public record SignedInSession(Session session, WebSocketConnection connection, NotificationStore store,
                                  ReadState readState, NotificationFeed feed, CenterViewModel center,
                                  CenterView centerView, ToastViewModel toasts, ToastView toastView, TrayView tray) {
    }

    public DesktopShell(Settings settings, Stage primary, Runnable exit) {
        this.settings = settings;
        this.primary = primary;
        this.exit = exit;
        this.sessionFile = new SessionFile(settings.configDirectory());
    }

    /** Signs in with the saved session if there is one (then only the tray shows, unless {@code openCenter}). */
    public void start(boolean openCenter) {
        sessionFile.load().ifPresentOrElse(saved -> {
            HeraldApi api = new HttpHeraldApi(saved.server(), http);
            begin(api, new Session(api, sessionFile, scheduler, settings.clock(), saved), openCenter);
        }, this::showSignIn);
    }

    public SignedInSession current() {
        return current;
    }

    public Stage primary() {
        return primary;
    }

    public void openCenter(UUID focus) {
        if (current != null) {
            current.centerView().show();
            current.center().focus(focus);
        }
    }

    public void signOut() {
        SignedInSession ending = current;
        if (ending == null) {
            return;
        }
        current = null;
        ending.connection().stop(true);
        ending.session().signOut();
        tearDown(ending);
        showSignIn();
    }

    /** Hides every window before exiting: JavaFX 25 crashes the JVM when it exits with windows showing. */
    public void quit() {
        if (current != null) {
            current.connection().stop(false);
            current.session().close();
            tearDown(current);
            current = null;
        }
        for (Window window : Window.getWindows().toArray(Window[]::new)) {
            window.hide();
        }
        scheduler.shutdown();
        exit.run();
    }

    private void showSignIn() {
        SignInViewModel viewModel = new SignInViewModel(settings.defaultServer(), uri -> new HttpHeraldApi(uri, http),
                signedIn -> begin(signedIn.api(), Session.signedIn(signedIn.api(), sessionFile, scheduler,
                        settings.clock(), signedIn.username(), signedIn.tokens()), true),
                uiThread, "Herald desktop on " + hostName());
        primary.setTitle("Sign in to Herald");
        primary.setScene(new Scene(new SignInView(viewModel).root(), 440, 420));
        primary.show();
    }

    private void begin(HeraldApi api, Session session, boolean showCenter) {
        primary.hide();
        Clock clock = settings.clock();
        NotificationStore store = new NotificationStore();
        ReadState readState = new ReadState(store, api, session, uiThread, clock);
        ToastViewModel toasts = new ToastViewModel(readState, this::openCenter, scheduler, uiThread, clock,
                settings.toastHideAfter(), settings.toastStack(), settings.burstWindow());
        NotificationFeed feed = new NotificationFeed(store, uiThread, clock, toasts::offer, toasts::forget,
                readState::resyncUnreadCount);
        WebSocketConnection connection = new WebSocketConnection(api.server(), http, session, settings.backoff(),
                scheduler, clock);
        connection.addListener(feed);
        session.onRenewed(connection::renewCredential);
        CenterViewModel center = new CenterViewModel(store, api, session, readState, feed.stateProperty(), uiThread, clock);
        CenterView centerView = new CenterView(center, session.username());
        ToastView toastView = new ToastView(toasts, clock);
        TrayView tray = TrayView.install(new TrayViewModel(store.unreadCountProperty(), feed.stateProperty(),
                toasts.pausedProperty(), clock,
                new TrayViewModel.Actions(() -> openCenter(null), readState::markAllRead, this::signOut, this::quit)));
        current = new SignedInSession(session, connection, store, readState, feed, center, centerView, toasts, toastView, tray);

        boolean[] connectedBefore = {false};
        feed.stateProperty().subscribe(state -> {
            if (state instanceof ConnectionState.Connected) {
                // History is read once the socket stands, so nothing published in between is missed; after a
                // reconnect the loaded pages again bring read changes made while this client was away.
                if (connectedBefore[0]) {
                    center.refreshLoaded();
                } else {
                    center.reload();
                }
                connectedBefore[0] = true;
            } else if (state instanceof ConnectionState.SignedOut && current != null && current.connection() == connection) {
                signOut();
            }
        });
        session.start();
        connection.start();
        if (showCenter) {
            centerView.show();
        }
    }

    private void tearDown(SignedInSession ending) {
        ending.toasts().dismissAll();
        ending.toastView().close();
        ending.centerView().close();
        ending.tray().close();
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "this computer" : host;
    }
}
