package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldServer;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link NotificationJson} writes what clients read most, by hand: it must say exactly what Micronaut's
 * serialisation of {@link Notification} says, whatever the content.
 */
class NotificationJsonTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static JsonMapper mapper;
    static NotificationJson writer;

    private static final Argument<Map<String, Object>> OBJECT = Argument.mapOf(String.class, Object.class);

    @BeforeAll
    static void beans() {
        mapper = herald.bean(JsonMapper.class);
        writer = herald.bean(NotificationJson.class);
    }

    @Test
    void writesWhatMicronautSerialisationWritesForEveryKindOfContent() throws Exception {
        List<Notification> notifications = notifications();
        for (Notification notification : notifications) {
            Map<String, Object> micronauts = mapper.readValue(mapper.writeValueAsString(notification), OBJECT);
            assertThat(mapper.readValue(writer.write(notification), OBJECT)).as("%s", notification).isEqualTo(micronauts);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(notification, out);
            assertThat(mapper.readValue(out.toString(StandardCharsets.UTF_8), OBJECT)).isEqualTo(micronauts);
        }
        assertThat(notifications).hasSizeGreaterThan(8);
    }

    @Test
    void writesAHistoryPageAsMicronautWouldWithItsCursorOrNull() throws Exception {
        for (Long cursor : new Long[]{null, 42L}) {
            HistoryPage page = new HistoryPage(notifications(), cursor);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(page, out);
            assertThat(mapper.readValue(out.toString(StandardCharsets.UTF_8), OBJECT))
                    .isEqualTo(mapper.readValue(mapper.writeValueAsString(page), OBJECT))
                    .containsEntry("nextCursor", cursor == null ? null : 42);
        }
    }

    @Test
    void writesABulkPublishAnswerAsMicronautWould() throws Exception {
        BulkPublishResult result = new BulkPublishResult(1, 1, List.of(
                new PublishedItem(0, UUID.randomUUID(), 7, 12, Instant.parse("2026-12-01T10:15:30.120Z"), true),
                new PublishedItem(3, UUID.randomUUID(), Long.MAX_VALUE, 1, Instant.parse("2026-12-01T10:15:30Z"), false)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        writer.write(result, out);

        Map<String, Object> written = mapper.readValue(out.toString(StandardCharsets.UTF_8), OBJECT);
        assertThat(written).isEqualTo(mapper.readValue(mapper.writeValueAsString(result), OBJECT));
        assertThat(written.get("items")).asList().hasSize(2);
    }

    @Test
    void storedDataIsCopiedAsTextAndDecodedOnlyWhenReadAsAMap() {
        JsonObjectText data = new JsonObjectText("{\"b\": [1, 2.5, null], \"a\": {\"x\": \"\\u00e9\\\"\"}}", mapper);
        Notification notification = notification(data, null);

        assertThat(writer.write(notification)).contains("\"data\":{\"b\": [1, 2.5, null], \"a\": {\"x\": \"\\u00e9\\\"\"}}");
        assertThat(data).containsEntry("b", Arrays.asList(1, 2.5, null)).containsEntry("a", Map.of("x", "é\""));
    }

    private static List<Notification> notifications() throws Exception {
        List<Notification> all = new ArrayList<>();
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("text", "quotes \" and \\ and \n and \u2028 and emoji \uD83D\uDE00");
        nested.put("number", 12345678901L);
        nested.put("fraction", 0.125);
        nested.put("flag", true);
        nested.put("nothing", null);
        nested.put("list", Arrays.asList(1, "two", null, Map.of("three", 3)));
        nested.put("object", Map.of("inner", Map.of("deeper", List.of())));
        List<Map<String, Object>> datas = new ArrayList<>();
        datas.add(Map.of());
        datas.add(nested);
        datas.add(new HashMap<>(Map.of("t", 1_733_000_000_000_000L)));
        for (Map<String, Object> data : datas) {
            all.add(notification(data, null));
            all.add(notification(data, Instant.parse("2026-12-01T10:15:30.123456Z")));
            all.add(notification(new JsonObjectText(mapper.writeValueAsString(data), mapper), null));
        }
        all.add(new Notification(UUID.randomUUID(), 7, 1, "t", "", "", Map.of(), 1, List.of(), Instant.EPOCH, Instant.EPOCH));
        return all;
    }

    private static Notification notification(Map<String, Object> data, Instant readAt) {
        return new Notification(UUID.randomUUID(), 7, 99, "order.shipped", "Title with \"quotes\" — and ünïcode",
                "A message\nover two lines", data, 5, List.of("a", "tag \"quoted\"", "ü"),
                Instant.parse("2026-12-01T10:15:30.000000001Z"), readAt);
    }
}
