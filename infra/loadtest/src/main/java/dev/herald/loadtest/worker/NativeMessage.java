package dev.herald.loadtest.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The fields of a Herald native-protocol message that the generator measures by: {@code type}, and from
 * {@code payload} its {@code seq}, {@code cursor}, {@code id} and {@code data.t} (the publisher's stamp).
 * Read in one streaming pass that skips everything else, rather than as a JSON tree: on a host the server
 * shares, every microsecond the generator spends per delivery is one the server does not get.
 *
 * @param seq    payload.seq, or -1 when absent
 * @param cursor payload.cursor, or -1 when absent
 * @param id     payload.id, or null when absent
 * @param stamp  payload.data.t, or 0 when absent
 */
record NativeMessage(String type, long seq, long cursor, String id, long stamp) {

    private static final JsonFactory JSON = new JsonFactory();

    static NativeMessage parse(ByteBuf content) throws IOException {
        try (JsonParser parser = content.hasArray()
                ? JSON.createParser(content.array(), content.arrayOffset() + content.readerIndex(), content.readableBytes())
                : JSON.createParser((InputStream) new ByteBufInputStream(content))) {
            return parse(parser);
        }
    }

    static NativeMessage parse(String text) throws IOException {
        try (JsonParser parser = JSON.createParser(text)) {
            return parse(parser);
        }
    }

    private static NativeMessage parse(JsonParser parser) throws IOException {
        String type = "";
        long seq = -1;
        long cursor = -1;
        String id = null;
        long stamp = 0;
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("Not a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else if ("payload".equals(field) && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken token = parser.nextToken();
                    if ("seq".equals(name) && token.isNumeric()) {
                        seq = parser.getLongValue();
                    } else if ("cursor".equals(name) && token.isNumeric()) {
                        cursor = parser.getLongValue();
                    } else if ("id".equals(name) && token == JsonToken.VALUE_STRING) {
                        id = parser.getText();
                    } else if ("data".equals(name) && token == JsonToken.START_OBJECT) {
                        stamp = stampOf(parser);
                    } else {
                        parser.skipChildren(); // any other field, or one of these of an unexpected shape
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return new NativeMessage(type, seq, cursor, id, stamp);
    }

    /** Within {@code data}: its {@code t}, leaving the parser at the object's end. */
    private static long stampOf(JsonParser parser) throws IOException {
        long stamp = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean isStamp = "t".equals(parser.currentName());
            JsonToken token = parser.nextToken();
            if (isStamp && token.isNumeric()) {
                stamp = parser.getLongValue();
            } else {
                parser.skipChildren();
            }
        }
        return stamp;
    }
}
