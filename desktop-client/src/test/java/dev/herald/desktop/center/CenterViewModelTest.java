package dev.herald.desktop.center;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.AccessTokens;
import dev.herald.desktop.net.ConnectionState;
import dev.herald.desktop.net.FakeHeraldApi;
import dev.herald.desktop.net.FixedAccessTokens;
import dev.herald.desktop.net.HistoryPage;
import dev.herald.desktop.net.Notification;
import dev.herald.desktop.net.Notifications;
import dev.herald.desktop.store.NotificationStore;
import dev.herald.desktop.store.ReadState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;

class CenterViewModelTest {

    private final FakeHeraldApi api = new FakeHeraldApi();
    private final NotificationStore store = new NotificationStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private final AccessTokens tokens = new FixedAccessTokens();
    private final CenterViewModel center = new CenterViewModel(store, api, tokens,
            new ReadState(store, api, tokens, Runnable::run, clock),
            new SimpleObjectProperty<>(new ConnectionState.Connected()), Runnable::run, clock);

    @Test
    void pagesThroughHistoryWithTheCursorUntilTheEnd() {
        api.pages.add(new HistoryPage(notifications(10, 9, 8), 8L));
        api.pages.add(new HistoryPage(notifications(7, 6), null));
        center.loadMore();
        center.loadMore();
        center.loadMore();
        assertThat(api.historyBefore).containsExactly(null, 8L);
        assertThat(center.visible()).extracting(Notification::seq).containsExactly(10L, 9L, 8L, 7L, 6L);
        assertThat(center.hasMoreProperty().get()).isFalse();
    }

    @Test
    void unreadFilterHidesReadRowsAndLiveOnesAppearOnTop() {
        api.pages.add(new HistoryPage(List.of(Notifications.unread(3), Notifications.read(2), Notifications.unread(1)), null));
        center.loadMore();
        center.unreadOnlyProperty().set(true);
        assertThat(center.visible()).extracting(Notification::seq).containsExactly(3L, 1L);
        store.addLive(Notifications.unread(4));
        assertThat(center.visible()).extracting(Notification::seq).containsExactly(4L, 3L, 1L);
    }

    @Test
    void markReadAndMarkAllReadGoToTheServer() {
        api.unread = 0;
        store.setUnreadCount(2);
        store.addLive(Notifications.unread(1));
        store.addLive(Notifications.unread(2));
        center.markRead(store.items().getLast());
        assertThat(api.markedRead).containsExactly(List.of(Notifications.unread(1).id()));
        center.markAllRead();
        assertThat(api.markAllReadCalls).hasValue(1);
        assertThat(store.items()).noneMatch(Notification::unread);
        assertThat(center.statusProperty().get()).isEqualTo("0 unread · Connected");
    }

    @Test
    void aRefreshAfterAReconnectTakesReadsMadeElsewhereOnEveryLoadedPageNotOnlyTheNewest() {
        api.pages.add(new HistoryPage(notifications(10, 9), 9L));
        api.pages.add(new HistoryPage(notifications(8, 7), 7L));
        center.loadMore();
        center.loadMore();
        api.historyBefore.clear();
        // Meanwhile, on another device: 9 and 7 were read, and 11 arrived.
        api.unread = 3;
        api.unreadCursor = 11;
        api.pages.add(new HistoryPage(List.of(Notifications.unread(11), Notifications.unread(10), Notifications.read(9)), 9L));
        api.pages.add(new HistoryPage(List.of(Notifications.unread(8), Notifications.read(7), Notifications.unread(6)), 6L));

        center.refreshLoaded();

        assertThat(api.historyBefore).as("pages until the oldest loaded, then no more").containsExactly(null, 9L);
        assertThat(store.items()).extracting(Notification::seq).as("6 is loadMore's to bring")
                .containsExactly(11L, 10L, 9L, 8L, 7L);
        assertThat(store.items()).filteredOn(Notification::unread).extracting(Notification::seq).containsExactly(11L, 10L, 8L);
    }

    @Test
    void aRefreshWhenNoPageWasLoadedYetLoadsTheFirst() {
        center.reload(); // fails: nothing queued
        api.pages.add(new HistoryPage(notifications(2, 1), null));

        center.refreshLoaded();

        assertThat(store.items()).extracting(Notification::seq).containsExactly(2L, 1L);
        assertThat(center.errorProperty().get()).isEmpty();
    }

    @Test
    void aFailedPageSaysSoAndCanBeRetried() {
        center.loadMore();
        assertThat(center.errorProperty().get()).startsWith("Could not load history");
        assertThat(center.hasMoreProperty().get()).isTrue();
    }

    private static List<Notification> notifications(long... seqs) {
        return Arrays.stream(seqs).mapToObj(Notifications::unread).toList();
    }

}
