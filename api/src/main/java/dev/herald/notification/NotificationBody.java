package dev.herald.notification;

import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.MessageBodyWriter;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a single notification (a publish's answer, {@code GET /api/notifications/{id}}) through
 * {@link NotificationJson}: single publishes are the busiest request, and the generic body writer's
 * introspection and instant formatting were a visible part of each.
 */
@Singleton
@Produces(MediaType.APPLICATION_JSON)
final class NotificationBody implements MessageBodyWriter<Notification> {

    private final NotificationJson json;

    NotificationBody(NotificationJson json) {
        this.json = json;
    }

    @Override
    public void writeTo(Argument<Notification> type, MediaType mediaType, Notification notification,
                        MutableHeaders outgoingHeaders, OutputStream outputStream) throws CodecException {
        outgoingHeaders.set("Content-Type", MediaType.APPLICATION_JSON);
        try {
            json.write(notification, outputStream);
        } catch (IOException e) {
            throw new CodecException("A notification could not be written", e);
        }
    }
}
