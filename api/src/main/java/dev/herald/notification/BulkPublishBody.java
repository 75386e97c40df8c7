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
 * Writes a bulk publish's answer through {@link NotificationJson}: a batch of 100 names 100 notifications,
 * and the generic body writer's per-item introspection and instant formatting cost about as much server
 * time as storing them.
 */
@Singleton
@Produces(MediaType.APPLICATION_JSON)
final class BulkPublishBody implements MessageBodyWriter<BulkPublishResult> {

    private final NotificationJson json;

    BulkPublishBody(NotificationJson json) {
        this.json = json;
    }

    @Override
    public void writeTo(Argument<BulkPublishResult> type, MediaType mediaType, BulkPublishResult result,
                        MutableHeaders outgoingHeaders, OutputStream outputStream) throws CodecException {
        outgoingHeaders.set("Content-Type", MediaType.APPLICATION_JSON);
        try {
            json.write(result, outputStream);
        } catch (IOException e) {
            throw new CodecException("A bulk publish's answer could not be written", e);
        }
    }
}
