package dev.herald.fanout;

import dev.herald.notification.AllNotificationsRead;
import dev.herald.notification.NotificationsPublished;
import dev.herald.notification.NotificationsRead;
import dev.herald.notification.TopicMessagePublished;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/** Hands every committed change of the notification store to the configured {@link Fanout}. */
@Singleton
final class FanoutTrigger {

    private final Fanout fanout;

    FanoutTrigger(Fanout fanout) {
        this.fanout = fanout;
    }

    @EventListener
    void onPublished(NotificationsPublished event) {
        fanout.published(event.notifications());
    }

    @EventListener
    void onTopicPublished(TopicMessagePublished event) {
        fanout.topicPublished(event.message());
    }

    @EventListener
    void onRead(NotificationsRead event) {
        fanout.read(event.userId(), event.ids());
    }

    @EventListener
    void onAllRead(AllNotificationsRead event) {
        fanout.allRead(event.userId(), event.upTo());
    }
}
