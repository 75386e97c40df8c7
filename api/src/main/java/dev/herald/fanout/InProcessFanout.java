package dev.herald.fanout;

import dev.herald.delivery.LocalDelivery;
import dev.herald.notification.Notification;
import dev.herald.notification.TopicMessage;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;

/** Fan-out for a single node: everything is delivered to this node's own connections. */
@Singleton
@Requires(condition = FanoutTransport.InProcess.class)
final class InProcessFanout implements Fanout {

    private final LocalDelivery delivery;

    InProcessFanout(LocalDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public void published(List<Notification> notifications) {
        delivery.notifications(notifications);
    }

    @Override
    public void topicPublished(TopicMessage message) {
        delivery.topicMessage(message);
    }

    @Override
    public void read(long userId, List<UUID> ids) {
        delivery.read(userId, ids);
    }

    @Override
    public void allRead(long userId, long upTo) {
        delivery.allRead(userId, upTo);
    }
}
