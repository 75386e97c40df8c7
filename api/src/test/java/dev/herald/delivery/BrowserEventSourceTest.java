package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeadlessChromium;
import dev.herald.HeraldServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real browser's EventSource, unchanged, against /api/sse: delivery, then a dropped stream resumed by Last-Event-ID. */
class BrowserEventSourceTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.delivery.sse-retry", "2s"));
    static Api api;
    static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        api = herald.api();
        chromium = HeadlessChromium.start(api.json());
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void eventSourceReceivesNotificationsAndResumesByLastEventIdWithNoGap() throws Exception {
        api.createUser("publisher", "publisher");
        String publisher = api.login("publisher", Api.PASSWORD);
        long userId = api.createUser("browser-user");
        String token = api.login("browser-user", Api.PASSWORD);

        // Any page of Herald's own origin will do: the script runs in it as a web app's would.
        try (HeadlessChromium.Page page = chromium.open(api.base().resolve("/health"))) {
            assertThat(page.evaluate("location.href")).isEqualTo(api.base().resolve("/health").toString());
            page.evaluate("""
                    window.received = []; window.opened = 0;
                    window.source = new EventSource('/api/sse?token=%s');
                    source.onopen = () => window.opened++;
                    source.addEventListener('notification', e =>
                        window.received.push({id: e.lastEventId, seq: JSON.parse(e.data).seq, title: JSON.parse(e.data).title}));
                    true""".formatted(token));
            page.await("window.opened === 1", Duration.ofSeconds(15));

            publish(publisher, "one");
            publish(publisher, "two");
            page.await("window.received.length", value -> ((Number) value).intValue() >= 2, Duration.ofSeconds(15));

            // The server ends the stream (as on a deploy); the browser reconnects by itself after retry.
            herald.bean(ConnectionRegistry.class).connectionsOf(userId)
                    .forEach(connection -> connection.close(CloseCodes.GOING_AWAY, "Server going away"));
            assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId)).isEmpty();
            publish(publisher, "three");
            publish(publisher, "four");
            assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId))
                    .as("published while the browser was away").isEmpty();

            page.await("window.opened", value -> ((Number) value).intValue() >= 2, Duration.ofSeconds(20));
            page.await("window.received.length", value -> ((Number) value).intValue() >= 4, Duration.ofSeconds(15));
            publish(publisher, "five");
            page.await("window.received.length", value -> ((Number) value).intValue() >= 5, Duration.ofSeconds(15));
            Thread.sleep(300); // a duplicate, if there were one, would arrive now

            List<Object> received = page.jsonList("window.received");
            assertThat(received).extracting(event -> (Object) ((Map<?, ?>) event).get("seq")).containsExactly(1, 2, 3, 4, 5);
            assertThat(received).extracting(event -> (Object) ((Map<?, ?>) event).get("id")).containsExactly("1", "2", "3", "4", "5");
            assertThat(received).extracting(event -> (Object) ((Map<?, ?>) event).get("title"))
                    .containsExactly("one", "two", "three", "four", "five");
            page.evaluate("window.source.close(); true");
        }
    }

    @Test
    void eventSourceResumesATopicByItsLastEventIdWithNoGap() throws Exception {
        api.createUser("topic-publisher", "publisher");
        String publisher = api.login("topic-publisher", Api.PASSWORD);
        long userId = api.createUser("topic-reader");
        String token = api.login("topic-reader", Api.PASSWORD);

        try (HeadlessChromium.Page page = chromium.open(api.base().resolve("/health"))) {
            page.evaluate("""
                    window.received = []; window.opened = 0; window.subscribed = 0;
                    window.source = new EventSource('/api/sse?token=%s&topic=browser.news');
                    source.onopen = () => window.opened++;
                    source.addEventListener('subscribed', () => window.subscribed++);
                    source.addEventListener('topic_message', e =>
                        window.received.push({id: e.lastEventId, seq: JSON.parse(e.data).seq}));
                    true""".formatted(token));
            // Without a position a topic starts at its cursor when the stream opened: publish once subscribed.
            page.await("window.subscribed === 1", Duration.ofSeconds(15));

            publishOnTopic(publisher, "one");
            publishOnTopic(publisher, "two");
            page.await("window.received.length", value -> ((Number) value).intValue() >= 2, Duration.ofSeconds(15));

            // The server ends the stream; the browser reconnects by itself, sending the last id it saw.
            herald.bean(ConnectionRegistry.class).connectionsOf(userId)
                    .forEach(connection -> connection.close(CloseCodes.GOING_AWAY, "Server going away"));
            publishOnTopic(publisher, "three");
            publishOnTopic(publisher, "four");

            page.await("window.opened", value -> ((Number) value).intValue() >= 2, Duration.ofSeconds(20));
            page.await("window.received.length", value -> ((Number) value).intValue() >= 4, Duration.ofSeconds(15));
            page.await("window.subscribed === 2", Duration.ofSeconds(15));
            publishOnTopic(publisher, "five");
            page.await("window.received.length", value -> ((Number) value).intValue() >= 5, Duration.ofSeconds(15));
            Thread.sleep(300); // a duplicate, if there were one, would arrive now

            List<Object> received = page.jsonList("window.received");
            assertThat(received).extracting(event -> (Object) ((Map<?, ?>) event).get("seq")).containsExactly(1, 2, 3, 4, 5);
            assertThat(received).extracting(event -> (Object) ((Map<?, ?>) event).get("id")).containsExactly(
                    "0 browser.news=1", "0 browser.news=2", "0 browser.news=3", "0 browser.news=4", "0 browser.news=5");
            page.evaluate("window.source.close(); true");
        }
    }

    private static void publishOnTopic(String publisher, String title) {
        Api.Response response = api.post("/api/topics/browser.news/messages", publisher,
                Map.of("type", "test", "title", title));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private static void publish(String publisher, String title) {
        Api.Response response = api.publish(publisher, Map.of("username", "browser-user", "type", "test", "title", title));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }
}
