package dev.herald.notification;

import dev.herald.ops.InvalidRequestException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns a publish request's content into a {@link Content}, refusing what is too large. */
@Singleton
final class Contents {

    private final JsonMapper json;
    private final NotificationConfig config;

    Contents(JsonMapper json, NotificationConfig config) {
        this.json = json;
        this.config = config;
    }

    /**
     * @param keyed whether the request carries an idempotency key: only then is its fingerprint needed
     *              (canonical JSON and SHA-256, a tenth of a batch's cost otherwise)
     * @throws InvalidRequestException naming the field when data or tags are over their limits
     */
    Content of(PublishRequest request, boolean keyed) {
        if (request.tagsOrEmpty().size() > config.maxTags()) {
            throw new InvalidRequestException("tags", "must hold at most " + config.maxTags() + " tags");
        }
        String dataJson = write(request.dataOrEmpty());
        if (dataJson.getBytes(StandardCharsets.UTF_8).length > config.maxDataBytes()) {
            throw new InvalidRequestException("data", "must be at most " + config.maxDataBytes() + " bytes of JSON");
        }
        JsonObjectText data = new JsonObjectText(dataJson, request.dataOrEmpty(), json);
        if (!keyed) {
            return new Content(request.type(), request.title(), request.messageOrEmpty(), data,
                    dataJson, request.priorityOrDefault(), List.copyOf(request.tagsOrEmpty()), null);
        }
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("type", request.type());
        canonical.put("title", request.title());
        canonical.put("message", request.messageOrEmpty());
        canonical.put("data", sorted(request.dataOrEmpty()));
        canonical.put("priority", request.priorityOrDefault());
        canonical.put("tags", request.tagsOrEmpty());
        return new Content(request.type(), request.title(), request.messageOrEmpty(), data, dataJson,
                request.priorityOrDefault(), List.copyOf(request.tagsOrEmpty()), sha256(write(canonical)));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), sorted(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Contents::sorted).toList();
        }
        return value;
    }
}
