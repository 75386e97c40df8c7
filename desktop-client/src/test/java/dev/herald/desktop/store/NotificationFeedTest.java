package dev.herald.desktop.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.FakeHeraldApi;
import dev.herald.desktop.net.FixedAccessTokens;
import dev.herald.desktop.net.Notifications;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationFeedTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private final NotificationStore store = new NotificationStore();
    private final FakeHeraldApi api = new FakeHeraldApi();
    private final ReadState readState = new ReadState(store, api, new FixedAccessTokens(), Runnable::run, clock);
    private final NotificationFeed feed = new NotificationFeed(store, Runnable::run, clock, n -> { }, ids -> { },
            readState::resyncUnreadCount);

    @Test
    void aReadOnAnotherDeviceOfANotificationNotLoadedHereLowersTheBadgeByTheServersCount() {
        // The newest page is loaded; the server counts 200 unread, most of them further back.
        store.addHistory(List.of(Notifications.unread(200), Notifications.unread(199)));
        store.setUnreadCount(200, 200);
        api.unread = 199;
        api.unreadCursor = 200;

        feed.notificationsRead(List.of(Notifications.unread(120).id()));

        assertThat(store.unreadCount()).isEqualTo(199);
    }

    @Test
    void aReadOfNotificationsLoadedHereNeedsNoTripToTheServer() {
        store.addHistory(List.of(Notifications.unread(2), Notifications.unread(1)));
        store.setUnreadCount(2, 2);
        api.unread = 1000; // what a needless recount would show

        feed.notificationsRead(List.of(Notifications.unread(1).id()));
        feed.notificationsRead(List.of(Notifications.unread(1).id()));

        assertThat(store.unreadCount()).isEqualTo(1);
        assertThat(store.items()).filteredOn(n -> n.seq() == 1).allMatch(n -> !n.unread());
    }
}
