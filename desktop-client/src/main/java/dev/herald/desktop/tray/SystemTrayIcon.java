package dev.herald.desktop.tray;

import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;

/** The AWT tray icon. AWT runs on its own thread: changes go to it with EventQueue, actions back with runLater. */
final class SystemTrayIcon implements TrayView {

    private final TrayIcon icon;
    private final ChangeListener<String> badgeListener;
    private final ChangeListener<String> tooltipListener;
    private final TrayViewModel viewModel;

    private SystemTrayIcon(TrayViewModel viewModel, TrayIcon icon) {
        this.viewModel = viewModel;
        this.icon = icon;
        this.badgeListener = (obs, old, badge) -> EventQueue.invokeLater(() -> icon.setImage(image(badge)));
        this.tooltipListener = (obs, old, text) -> EventQueue.invokeLater(() -> icon.setToolTip(text));
        viewModel.badgeProperty().addListener(badgeListener);
        viewModel.tooltipProperty().addListener(tooltipListener);
    }

    static SystemTrayIcon install(TrayViewModel viewModel) throws AWTException {
        SystemTray tray = SystemTray.getSystemTray();
        TrayIcon icon = new TrayIcon(image(viewModel.badgeProperty().get(), tray), viewModel.tooltipProperty().get());
        icon.setImageAutoSize(true);
        PopupMenu menu = new PopupMenu();
        menu.add(item("Open", () -> Platform.runLater(viewModel::open)));
        menu.add(item("Mark all read", () -> Platform.runLater(viewModel::markAllRead)));
        CheckboxMenuItem pause = new CheckboxMenuItem("Pause toasts", viewModel.toastsPausedProperty().get());
        pause.addItemListener(e -> Platform.runLater(viewModel::togglePause));
        menu.add(pause);
        menu.addSeparator();
        menu.add(item("Sign out", () -> Platform.runLater(viewModel::signOut)));
        menu.add(item("Quit", () -> Platform.runLater(viewModel::quit)));
        icon.setPopupMenu(menu);
        icon.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                if (e.getButton() == MouseEvent.BUTTON1) {
                    Platform.runLater(viewModel::open);
                }
            }
        });
        tray.add(icon);
        return new SystemTrayIcon(viewModel, icon);
    }

    private static MenuItem item(String label, Runnable action) {
        MenuItem item = new MenuItem(label);
        item.addActionListener(e -> action.run());
        return item;
    }

    private static java.awt.Image image(String badge) {
        return image(badge, SystemTray.getSystemTray());
    }

    private static java.awt.Image image(String badge, SystemTray tray) {
        return BadgeIcon.render(badge, Math.max(16, tray.getTrayIconSize().height * 2));
    }

    @Override
    public void close() {
        viewModel.badgeProperty().removeListener(badgeListener);
        viewModel.tooltipProperty().removeListener(tooltipListener);
        EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }
}
