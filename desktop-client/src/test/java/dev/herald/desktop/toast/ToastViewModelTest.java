package dev.herald.desktop.toast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.FakeHeraldApi;
import dev.herald.desktop.net.FixedAccessTokens;
import dev.herald.desktop.net.FakeScheduler;
import dev.herald.desktop.net.Notifications;
import dev.herald.desktop.store.NotificationStore;
import dev.herald.desktop.store.ReadState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Toast decisions without the FX thread: stacking, the burst summary, hiding, pause and mark read. */
class ToastViewModelTest {

    private final FakeScheduler scheduler = new FakeScheduler();
    private final FakeHeraldApi api = new FakeHeraldApi();
    private final NotificationStore store = new NotificationStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final List<UUID> opened = new ArrayList<>();
    private final ToastViewModel toasts = new ToastViewModel(
            new ReadState(store, api, new FixedAccessTokens(), Runnable::run, clock), opened::add, scheduler, Runnable::run, clock,
            Duration.ofSeconds(8), 3, Duration.ofSeconds(2));

    @Test
    void aBurstOfAHundredBecomesOneSummaryToast() {
        for (long seq = 1; seq <= 100; seq++) {
            toasts.offer(Notifications.unread(seq));
            clock.advance(Duration.ofMillis(5));
        }
        assertThat(toasts.toasts()).containsExactly(new Toast.Summary(100));
        assertThat(((Toast.Summary) toasts.toasts().getFirst()).text()).isEqualTo("100 new notifications");
    }

    @Test
    void aFewNotificationsStackOneByOne() {
        toasts.offer(Notifications.unread(1));
        toasts.offer(Notifications.unread(2));
        toasts.offer(Notifications.unread(3));
        assertThat(toasts.toasts()).containsExactly(new Toast.Single(Notifications.unread(1)),
                new Toast.Single(Notifications.unread(2)), new Toast.Single(Notifications.unread(3)));
    }

    @Test
    void notificationsSpreadOutInTimeAreNotABurst() {
        for (long seq = 1; seq <= 6; seq++) {
            toasts.offer(Notifications.unread(seq));
            clock.advance(Duration.ofSeconds(3));
        }
        assertThat(toasts.toasts()).allMatch(Toast.Single.class::isInstance).hasSize(6);
    }

    @Test
    void toastsHideAfterTheConfiguredTime() {
        toasts.offer(Notifications.unread(1));
        assertThat(scheduler.pending()).extracting(FakeScheduler.Task::delay).containsExactly(Duration.ofSeconds(8));
        scheduler.runPending();
        assertThat(toasts.toasts()).isEmpty();
    }

    @Test
    void pausedToastsShowNothing() {
        toasts.pausedProperty().set(true);
        toasts.offer(Notifications.unread(1));
        assertThat(toasts.toasts()).isEmpty();
    }

    @Test
    void markReadMarksOnTheServerAndClosesTheToast() {
        store.addLive(Notifications.unread(7));
        toasts.offer(Notifications.unread(7));
        toasts.markRead((Toast.Single) toasts.toasts().getFirst());
        assertThat(api.markedRead).containsExactly(List.of(Notifications.unread(7).id()));
        assertThat(toasts.toasts()).isEmpty();
        assertThat(store.unreadCount()).isZero();
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void clickingAToastOpensTheCenterAtIt() {
        toasts.offer(Notifications.unread(4));
        toasts.open(toasts.toasts().getFirst());
        assertThat(opened).containsExactly(Notifications.unread(4).id());
        assertThat(toasts.toasts()).isEmpty();
    }

    @Test
    void readElsewhereRemovesItsToast() {
        toasts.offer(Notifications.unread(1));
        toasts.offer(Notifications.unread(2));
        toasts.forget(List.of(Notifications.unread(1).id()));
        assertThat(toasts.toasts()).containsExactly(new Toast.Single(Notifications.unread(2)));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
