package dev.herald.desktop.tray;

import dev.herald.desktop.net.ConnectionState;
import java.time.Clock;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;

/** The tray icon's badge and tooltip, and what its menu does. */
public final class TrayViewModel {

    /** What the tray's menu items call; the shell provides them. */
    public record Actions(Runnable open, Runnable markAllRead, Runnable signOut, Runnable quit) {
    }

    private final ReadOnlyLongProperty unreadCount;
    private final BooleanProperty toastsPaused;
    private final Actions actions;
    private final StringBinding badge;
    private final StringBinding tooltip;

    public TrayViewModel(ReadOnlyLongProperty unreadCount, ReadOnlyObjectProperty<ConnectionState> connection,
                         BooleanProperty toastsPaused, Clock clock, Actions actions) {
        this.unreadCount = unreadCount;
        this.toastsPaused = toastsPaused;
        this.actions = actions;
        this.badge = Bindings.createStringBinding(() -> badgeText(unreadCount.get()), unreadCount);
        this.tooltip = Bindings.createStringBinding(
                () -> "Herald: " + unreadCount.get() + " unread · " + connection.get().describe(clock.instant())
                        + (toastsPaused.get() ? " · toasts paused" : ""),
                unreadCount, connection, toastsPaused);
    }

    /** Empty when nothing is unread, so the icon stays plain; "99+" keeps the badge legible. */
    static String badgeText(long count) {
        return count <= 0 ? "" : count > 99 ? "99+" : Long.toString(count);
    }

    public StringBinding badgeProperty() {
        return badge;
    }

    public StringBinding tooltipProperty() {
        return tooltip;
    }

    public ReadOnlyLongProperty unreadCountProperty() {
        return unreadCount;
    }

    public BooleanProperty toastsPausedProperty() {
        return toastsPaused;
    }

    public void open() {
        actions.open().run();
    }

    public void markAllRead() {
        actions.markAllRead().run();
    }

    public void togglePause() {
        toastsPaused.set(!toastsPaused.get());
    }

    public void signOut() {
        actions.signOut().run();
    }

    public void quit() {
        actions.quit().run();
    }
}
