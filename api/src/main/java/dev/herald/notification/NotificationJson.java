package dev.herald.notification;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes notifications as the wire protocol shows them, the same JSON Micronaut's serialisation makes of
 * {@link Notification} ({@code NotificationJsonTest} holds the two equal), written straight to Jackson's
 * generator: {@code data} is copied as the JSON text it already is, and no property is looked up through
 * introspection. History pages, bulk publishes' answers and every delivery go through here; they are what
 * Herald writes most.
 */
@Singleton
public final class NotificationJson {

    // The caller owns the stream it hands over: a history page's belongs to Micronaut.
    private final JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private final JsonMapper mapper;

    NotificationJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** One notification as a JSON object. */
    public String write(Notification notification) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(text)) {
            write(notification, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** One notification as a JSON object, as UTF-8: a single publish's answer. */
    void write(Notification notification, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out)) {
            write(notification, json);
        }
    }

    /** A page of history, {@code {"items":[...],"nextCursor":...}}, as UTF-8. */
    void write(HistoryPage page, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("items");
            for (Notification notification : page.items()) {
                write(notification, json);
            }
            json.writeEndArray();
            json.writeFieldName("nextCursor");
            if (page.nextCursor() == null) {
                json.writeNull();
            } else {
                json.writeNumber(page.nextCursor());
            }
            json.writeEndObject();
        }
    }

    /** A bulk publish's answer, {@code {"created":..,"replayed":..,"items":[...]}}, as UTF-8. */
    void write(BulkPublishResult result, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("created", result.created());
            json.writeNumberField("replayed", result.replayed());
            json.writeArrayFieldStart("items");
            for (PublishedItem item : result.items()) {
                json.writeStartObject();
                json.writeNumberField("index", item.index());
                json.writeStringField("id", item.id().toString());
                json.writeNumberField("userId", item.userId());
                json.writeNumberField("seq", item.seq());
                json.writeStringField("createdAt", IsoInstant.format(item.createdAt()));
                json.writeBooleanField("created", item.created());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private void write(Notification notification, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", notification.id().toString());
        json.writeNumberField("seq", notification.seq());
        json.writeStringField("type", notification.type());
        json.writeStringField("title", notification.title());
        json.writeStringField("message", notification.message());
        json.writeFieldName("data");
        json.writeRawValue(dataJson(notification.data()));
        json.writeNumberField("priority", notification.priority());
        json.writeArrayFieldStart("tags");
        for (String tag : notification.tags()) {
            json.writeString(tag);
        }
        json.writeEndArray();
        json.writeStringField("createdAt", IsoInstant.format(notification.createdAt()));
        if (notification.readAt() == null) {
            json.writeNullField("readAt");
        } else {
            json.writeStringField("readAt", IsoInstant.format(notification.readAt()));
        }
        json.writeEndObject();
    }

    private String dataJson(Map<String, Object> data) throws IOException {
        if (data instanceof JsonObjectText text) {
            return text.json();
        }
        return data == null ? "null" : mapper.writeValueAsString(data);
    }
}
