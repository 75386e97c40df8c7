package dev.herald.delivery;

import dev.herald.notification.NotificationService;
import dev.herald.notification.TopicService;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;

/** What every connection needs, shared so that each connection holds one reference instead of five. */
@Singleton
record ConnectionContext(NotificationService notifications,
                         TopicService topics,
                         ServerMessages messages,
                         ConnectionRegistry registry,
                         DeliveryConfig config,
                         @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
}
