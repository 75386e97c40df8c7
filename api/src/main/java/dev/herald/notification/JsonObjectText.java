package dev.herald.notification;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A notification's {@code data}: a JSON object whose text is already known (as PostgreSQL returned it, or as
 * it was written for the insert), decoded into a map only when something reads it as one.
 * {@link NotificationJson} copies the text out as it is, so a page of history or a delivery does not decode
 * and re-encode every object.
 */
final class JsonObjectText extends AbstractMap<String, Object> {

    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);

    private final String json;
    private final JsonMapper mapper;
    private volatile Map<String, Object> decoded;

    JsonObjectText(String json, JsonMapper mapper) {
        this.json = json;
        this.mapper = mapper;
    }

    /** Both forms, when the map is at hand already (a publish request's data and the JSON written of it). */
    JsonObjectText(String json, Map<String, Object> decoded, JsonMapper mapper) {
        this(json, mapper);
        this.decoded = Collections.unmodifiableMap(decoded);
    }

    String json() {
        return json;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return decoded().entrySet();
    }

    @Override
    public Object get(Object key) {
        return decoded().get(key);
    }

    @Override
    public int size() {
        return decoded().size();
    }

    private Map<String, Object> decoded() {
        Map<String, Object> map = decoded;
        if (map == null) {
            try {
                map = Collections.unmodifiableMap(mapper.readValue(json, MAP));
            } catch (IOException e) {
                throw new UncheckedIOException("Notification data is not a JSON object", e);
            }
            decoded = map;
        }
        return map;
    }
}
