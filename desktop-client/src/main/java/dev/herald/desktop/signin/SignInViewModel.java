package dev.herald.desktop.signin;

import dev.herald.desktop.DesktopClient;
import dev.herald.desktop.net.HeraldApi;
import dev.herald.desktop.net.Tokens;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** Sign-in with server address and password, or by QR pairing with a phone that is already signed in. */
public final class SignInViewModel {

    /** A successful sign-in: the API of the chosen server, who, and the tokens. */
    public record SignedIn(HeraldApi api, String username, Tokens tokens) {
    }

    private final Function<URI, HeraldApi> apis;
    private final Consumer<SignedIn> onSignedIn;
    private final Executor uiThread;
    private final String deviceLabel;
    private final StringProperty server = new SimpleStringProperty(this, "server");
    private final StringProperty username = new SimpleStringProperty(this, "username", "");
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final StringProperty pairingStatus = new SimpleStringProperty(this, "pairingStatus", "");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final ObjectProperty<byte[]> qrCode = new SimpleObjectProperty<>(this, "qrCode");
    private final StringProperty qrToken = new SimpleStringProperty(this, "qrToken", "");
    private long pairingAttempt;

    public SignInViewModel(String defaultServer, Function<URI, HeraldApi> apis, Consumer<SignedIn> onSignedIn,
                           Executor uiThread, String deviceLabel) {
        this.apis = apis;
        this.onSignedIn = onSignedIn;
        this.uiThread = uiThread;
        this.deviceLabel = deviceLabel;
        server.set(defaultServer);
    }

    public StringProperty serverProperty() {
        return server;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public StringProperty pairingStatusProperty() {
        return pairingStatus;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public ObjectProperty<byte[]> qrCodeProperty() {
        return qrCode;
    }

    /** The code inside the QR image, shown as text too for a phone whose camera cannot read the screen. */
    public StringProperty qrTokenProperty() {
        return qrToken;
    }

    public CompletableFuture<Void> signIn() {
        if (username.get().isBlank() || password.get().isEmpty()) {
            error.set("Enter your username and password");
            return CompletableFuture.completedFuture(null);
        }
        HeraldApi api = chosenServer();
        if (api == null) {
            return CompletableFuture.completedFuture(null);
        }
        busy.set(true);
        error.set("");
        String user = username.get().strip();
        return api.login(user, password.get()).handle((tokens, failure) -> {
            uiThread.execute(() -> {
                busy.set(false);
                if (failure != null) {
                    error.set(message(failure, "Wrong username or password"));
                } else {
                    password.set("");
                    // A QR code still showing must not sign in a second session when a phone scans it later.
                    pairingAttempt++;
                    onSignedIn.accept(new SignedIn(api, user, tokens));
                }
            });
            return null;
        });
    }

    /** Opens a pairing, shows its QR code and signs in when the phone scans it. A new call abandons the last one. */
    public CompletableFuture<Void> startPairing() {
        HeraldApi api = chosenServer();
        if (api == null) {
            return CompletableFuture.completedFuture(null);
        }
        long attempt = ++pairingAttempt;
        error.set("");
        qrCode.set(null);
        pairingStatus.set("Preparing a QR code…");
        return api.createPairing(deviceLabel)
                .thenCompose(pairing -> api.pairingQrCode(pairing.pairingId()).thenApply(png -> {
                    uiThread.execute(() -> {
                        if (attempt == pairingAttempt) {
                            qrCode.set(png);
                            qrToken.set(pairing.qrToken());
                            pairingStatus.set("Scan this code with Herald on your phone");
                        }
                    });
                    return pairing;
                }))
                .thenCompose(pairing -> api.awaitPairing(pairing.pairingId()))
                .handle((session, failure) -> {
                    uiThread.execute(() -> {
                        if (attempt != pairingAttempt) {
                            return;
                        }
                        qrCode.set(null);
                        qrToken.set("");
                        if (failure != null) {
                            pairingStatus.set(message(failure, "Pairing failed") + " — try again");
                        } else {
                            pairingStatus.set("Paired as " + session.username());
                            onSignedIn.accept(new SignedIn(api, session.username(), session.tokens()));
                        }
                    });
                    return null;
                });
    }

    /** The API of the server the user typed, or null (with the reason shown) when it is not an http(s) address. */
    private HeraldApi chosenServer() {
        try {
            return apis.apply(DesktopClient.serverAddress(server.get()));
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return null;
        }
    }

    private static String message(Throwable failure, String unauthorized) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof dev.herald.desktop.net.HeraldApiException)) {
            cause = cause.getCause();
        }
        if (cause instanceof dev.herald.desktop.net.HeraldApiException api && api.unauthorized()) {
            return unauthorized;
        }
        return cause.getMessage();
    }
}
