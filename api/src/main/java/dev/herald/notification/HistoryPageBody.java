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

/** Writes history pages through {@link NotificationJson} rather than the generic JSON body writer. */
@Singleton
@Produces(MediaType.APPLICATION_JSON)
final class HistoryPageBody implements MessageBodyWriter<HistoryPage> {

    private final NotificationJson json;

    HistoryPageBody(NotificationJson json) {
        this.json = json;
    }

    @Override
    public void writeTo(Argument<HistoryPage> type, MediaType mediaType, HistoryPage page,
                        MutableHeaders outgoingHeaders, OutputStream outputStream) throws CodecException {
        outgoingHeaders.set("Content-Type", MediaType.APPLICATION_JSON);
        try {
            json.write(page, outputStream);
        } catch (IOException e) {
            throw new CodecException("A history page could not be written", e);
        }
    }
}
