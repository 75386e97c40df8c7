package dev.herald.desktop.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.Notification;
import dev.herald.desktop.net.Notifications;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final NotificationStore store = new NotificationStore();

    @Test
    void keepsNewestFirstAndIgnoresASeqSeenBefore() {
        store.setUnreadCount(2);
        store.addHistory(List.of(Notifications.unread(5), Notifications.unread(3)));
        assertThat(store.addLive(Notifications.unread(6))).isTrue();
        assertThat(store.addLive(Notifications.unread(6))).isFalse();
        store.addHistory(List.of(Notifications.unread(6), Notifications.unread(4)));
        assertThat(store.items()).extracting(Notification::seq).containsExactly(6L, 5L, 4L, 3L);
        assertThat(store.unreadCount()).isEqualTo(3);
    }

    @Test
    void historyNewerThanTheCountThatArrivesBeforeItsLiveCopyIsCountedOnce() {
        store.setUnreadCount(5, 10); // the server counted up to seq 10
        store.addHistory(List.of(Notifications.unread(11), Notifications.unread(10)));
        assertThat(store.unreadCount()).as("11 was committed after the count").isEqualTo(6);
        assertThat(store.addLive(Notifications.unread(11))).isFalse();
        assertThat(store.unreadCount()).isEqualTo(6);
    }

    @Test
    void aServerCountTakenWhileLiveOnesArriveCountsEachOnce() {
        store.addLive(Notifications.unread(5));
        store.addLive(Notifications.unread(6));
        store.setUnreadCount(6, 6); // the server's count already includes 5 and 6
        assertThat(store.unreadCount()).isEqualTo(6);
        store.addLive(Notifications.unread(7));
        assertThat(store.unreadCount()).isEqualTo(7);
        store.addLive(Notifications.unread(8));
        store.setUnreadCount(7, 7); // counted before 8 committed: 8 is added
        assertThat(store.unreadCount()).isEqualTo(8);
    }

    @Test
    void markReadAndAllReadChangeRowsAndCount() {
        store.addLive(Notifications.unread(1));
        store.addLive(Notifications.unread(2));
        store.addLive(Notifications.unread(3));
        store.markRead(List.of(Notifications.unread(2).id()), NOW);
        assertThat(store.items()).extracting(Notification::unread).containsExactly(true, false, true);
        assertThat(store.unreadCount()).isEqualTo(2);
        store.markAllRead(1, NOW);
        assertThat(store.items()).extracting(Notification::unread).containsExactly(true, false, false);
        assertThat(store.unreadCount()).isEqualTo(1);
    }

    @Test
    void historyBringsReadStateChangedWhileAway() {
        store.addLive(Notifications.unread(1));
        store.addHistory(List.of(Notifications.read(1)));
        assertThat(store.items().getFirst().unread()).isFalse();
    }
}
