package dev.herald.desktop.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.ConnectionState;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;

class TrayViewModelTest {

    private final SimpleLongProperty unread = new SimpleLongProperty();
    private final SimpleObjectProperty<ConnectionState> connection = new SimpleObjectProperty<>(new ConnectionState.Connected());
    private final List<String> calls = new ArrayList<>();
    private final TrayViewModel tray = new TrayViewModel(unread, connection, new SimpleBooleanProperty(),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), new TrayViewModel.Actions(() -> calls.add("open"),
            () -> calls.add("markAllRead"), () -> calls.add("signOut"), () -> calls.add("quit")));

    @Test
    void badgeShowsTheUnreadCount() {
        assertThat(tray.badgeProperty().get()).isEmpty();
        unread.set(7);
        assertThat(tray.badgeProperty().get()).isEqualTo("7");
        unread.set(250);
        assertThat(tray.badgeProperty().get()).isEqualTo("99+");
    }

    @Test
    void tooltipShowsCountConnectionAndPause() {
        unread.set(3);
        connection.set(new ConnectionState.Reconnecting(2, java.time.Duration.ofSeconds(4), Instant.EPOCH.plusSeconds(4)));
        tray.togglePause();
        assertThat(tray.tooltipProperty().get()).isEqualTo("Herald: 3 unread · Reconnecting in 4 s · toasts paused");
    }

    @Test
    void menuActionsReachTheShell() {
        tray.open();
        tray.markAllRead();
        tray.signOut();
        tray.quit();
        assertThat(calls).containsExactly("open", "markAllRead", "signOut", "quit");
    }

    @Test
    void iconCarriesARedBadgeOnlyWhenSomethingIsUnread() {
        BufferedImage plain = BadgeIcon.render("", 32);
        BufferedImage badged = BadgeIcon.render("5", 32);
        int corner = badged.getRGB(32 - 6, 4);
        assertThat(new Color(corner, true)).isEqualTo(BadgeIcon.BADGE);
        assertThat(new Color(plain.getRGB(32 - 6, 4), true)).isNotEqualTo(BadgeIcon.BADGE);
    }
}
