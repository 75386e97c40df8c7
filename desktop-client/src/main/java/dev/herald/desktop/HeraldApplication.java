package dev.herald.desktop;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/** The JavaFX application; {@link DesktopClient#main} launches it. */
public final class HeraldApplication extends Application {

    @Override
    public void start(Stage primaryStage) {
        // A tray client lives on with all its windows closed; only Quit ends it.
        Platform.setImplicitExit(false);
        String server = DesktopClient.serverAddress(System.getenv("HERALD_URL")).toString();
        boolean openCenter = getParameters().getRaw().contains("--open-center");
        new DesktopShell(DesktopShell.Settings.defaults(server), primaryStage, Platform::exit).start(openCenter);
    }
}
