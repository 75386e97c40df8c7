package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/** What a publisher sends to a topic: a notification's content, without recipients (the subscribers are). */
@Serdeable
public record TopicRequest(String type,
                           String title,
                           @Nullable String message,
                           @Nullable Map<String, Object> data,
                           @Nullable Integer priority,
                           @Nullable List<String> tags) {

    /** The same content as a publish request, so that it is checked and encoded by the same rules. */
    PublishRequest asPublishRequest() {
        return new PublishRequest(null, null, null, null, null, type, title, message, data, priority, tags, null);
    }
}
