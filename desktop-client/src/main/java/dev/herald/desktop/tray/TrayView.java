package dev.herald.desktop.tray;

import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;

/** The tray presence: the desktop's system tray where there is one, else a small always-on-top window. */
public interface TrayView {

    void close();

    /** Call on the FX thread. */
    static TrayView install(TrayViewModel viewModel) {
        if (!GraphicsEnvironment.isHeadless() && SystemTray.isSupported()) {
            try {
                return SystemTrayIcon.install(viewModel);
            } catch (java.awt.AWTException | RuntimeException e) {
                // Some desktops report a tray and then refuse the icon; the window still does the job.
                System.getLogger(TrayView.class.getName()).log(System.Logger.Level.WARNING, "No system tray: " + e);
            }
        }
        return TrayWindow.show(viewModel);
    }
}
