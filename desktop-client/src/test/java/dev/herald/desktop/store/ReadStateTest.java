package dev.herald.desktop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.desktop.net.FakeHeraldApi;
import dev.herald.desktop.net.FixedAccessTokens;
import dev.herald.desktop.net.Notification;
import dev.herald.desktop.net.Notifications;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadStateTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private final NotificationStore store = new NotificationStore();
    private final FakeHeraldApi api = new FakeHeraldApi();
    private final ReadState readState = new ReadState(store, api, new FixedAccessTokens(), Runnable::run, clock);

    @Test
    void aMarkReadTheServerDidNotTakeShowsTheNotificationUnreadAgain() {
        store.addHistory(List.of(Notifications.unread(2), Notifications.unread(1)));
        store.setUnreadCount(2, 2);
        api.unread = 2;
        api.unreadCursor = 2;
        api.marksFail = true;

        readState.markRead(Notifications.unread(1).id());

        assertThat(store.items()).filteredOn(n -> n.seq() == 1).singleElement().satisfies(n -> assertThat(n.unread()).isTrue());
        assertThat(store.unreadCount()).isEqualTo(2);
    }

    @Test
    void aMarkAllReadTheServerDidNotTakeShowsWhatItMarkedUnreadAgain() {
        store.addHistory(List.of(Notifications.unread(3), Notifications.read(2), Notifications.unread(1)));
        store.setUnreadCount(2, 3);
        api.unread = 2;
        api.unreadCursor = 3;
        api.marksFail = true;

        readState.markAllRead();

        assertThat(store.items()).extracting(Notification::seq, Notification::unread)
                .containsExactly(tuple(3L, true), tuple(2L, false), tuple(1L, true));
        assertThat(store.unreadCount()).isEqualTo(2);
    }

    @Test
    void aRecountOfZeroShowsEverythingUpToTheServersCursorRead() {
        // Three pages' worth loaded; all marked read on the phone while this client was offline.
        store.addHistory(List.of(Notifications.unread(4), Notifications.unread(3), Notifications.unread(2), Notifications.unread(1)));
        store.setUnreadCount(4, 4);
        api.unread = 0;
        api.unreadCursor = 3; // 4 arrived after the count

        readState.resyncUnreadCount();

        assertThat(store.items()).extracting(Notification::seq, Notification::unread)
                .containsExactly(tuple(4L, true), tuple(3L, false), tuple(2L, false), tuple(1L, false));
        assertThat(store.unreadCount()).isEqualTo(1);
    }

    @Test
    void aMarkReadTheServerTookStaysRead() {
        store.addHistory(List.of(Notifications.unread(1)));
        store.setUnreadCount(1, 1);

        readState.markRead(Notifications.unread(1).id());

        assertThat(store.items().getFirst().unread()).isFalse();
        assertThat(store.unreadCount()).isZero();
        assertThat(api.markedRead).containsExactly(List.of(Notifications.unread(1).id()));
    }
}
