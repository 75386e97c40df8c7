package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.SseClient;
import dev.herald.SseClient.SseEvent;
import dev.herald.TestPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topics over the one-way transports: server-sent events and long-poll, resumable like a user's stream. */
class TopicStreamsTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.delivery.max-subscriptions", 3,
            "herald.delivery.max-poll-wait", "3s"));
    static Api api;
    static TestPublisher publisher;
    static final AtomicInteger TOPICS = new AtomicInteger();

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "topic-streams-");
    }

    // ---- server-sent events ----------------------------------------------------------------------------

    @Test
    void sseWithTopicsCarriesTheirMessagesAndEveryEventIdCarriesEveryPosition() {
        String news = newTopic();
        String status = newTopic();
        publishTo(status, "stored before");
        String alice = publisher.newUser();
        publisher.publish(alice, "first");

        try (SseClient stream = sse(alice, "?topic=" + news + "&topic=" + status, Map.of())) {
            assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
            assertThat(stream.next().id()).as("connected: the user's cursor, then each topic's at the start")
                    .isEqualTo("1 " + news + "=0 " + status + "=1");
            SseEvent subscribedNews = stream.next();
            assertThat(subscribedNews.event()).isEqualTo("subscribed");
            assertThat(stream.data(subscribedNews)).containsEntry("topic", news).containsEntry("cursor", 0);
            assertThat(subscribedNews.id()).isEqualTo("1 " + news + "=0 " + status + "=1");
            SseEvent subscribedStatus = stream.next();
            assertThat(stream.data(subscribedStatus)).containsEntry("topic", status).containsEntry("cursor", 1);
            assertThat(subscribedStatus.id()).isEqualTo("1 " + news + "=0 " + status + "=1");

            publishTo(status, "live on status");
            SseEvent message = stream.next();
            assertThat(message.event()).isEqualTo("topic_message");
            assertThat(stream.data(message)).containsEntry("topic", status).containsEntry("seq", 2)
                    .containsEntry("title", "live on status");
            assertThat(message.id()).isEqualTo("1 " + news + "=0 " + status + "=2");

            publisher.publish(alice, "second");
            SseEvent notification = stream.next();
            assertThat(notification.event()).isEqualTo("notification");
            assertThat(notification.id()).isEqualTo("2 " + news + "=0 " + status + "=2");
            assertThat(stream.drain(300)).as("exactly once").isEmpty();
        }
    }

    @Test
    void aReconnectWithLastEventIdResumesTheUsersNotificationsAndEveryTopicWithoutGapOrDuplicate() {
        String news = newTopic();
        String status = newTopic();
        String bob = publisher.newUser();
        String query = "?topic=" + news + "&topic=" + status;
        String lastId;
        try (SseClient stream = sse(bob, query, Map.of())) {
            stream.next("subscribed");
            stream.next("subscribed");
            publishTo(news, "news 1");
            publisher.publish(bob, "own 1");
            stream.next("topic_message");
            lastId = stream.next("notification").id();
        }
        assertThat(lastId).isEqualTo("1 " + news + "=1 " + status + "=0");
        publishTo(news, "news 2");
        publishTo(status, "status 1");
        publishTo(status, "status 2");
        publisher.publish(bob, "own 2");

        try (SseClient resumed = sse(bob, query, Map.of("Last-Event-ID", lastId))) {
            List<String> seen = new ArrayList<>();
            SseEvent event;
            do {
                event = resumed.next();
                Map<String, Object> data = resumed.data(event);
                seen.add(switch (event.event()) {
                    case "notification" -> "own " + data.get("seq");
                    case "topic_message" -> data.get("topic") + " " + data.get("seq");
                    case "subscribed" -> "subscribed " + data.get("topic") + " from " + data.get("from");
                    default -> event.event();
                } + " @ " + event.id());
            } while (!(event.event().equals("subscribed") && status.equals(resumed.data(event).get("topic"))));
            publishTo(news, "news 3");
            SseEvent live = resumed.next("topic_message");
            seen.add(news + " " + resumed.data(live).get("seq") + " @ " + live.id());

            // Every id names every position, so a drop after any event resumes every stream where it was.
            assertThat(seen).containsExactly(
                    "connected @ 1 " + news + "=1 " + status + "=0",
                    "own 2 @ 2 " + news + "=1 " + status + "=0",
                    "replayed @ 2 " + news + "=1 " + status + "=0",
                    news + " 2 @ 2 " + news + "=2 " + status + "=0",
                    "subscribed " + news + " from 1 @ 2 " + news + "=2 " + status + "=0",
                    status + " 1 @ 2 " + news + "=2 " + status + "=1",
                    status + " 2 @ 2 " + news + "=2 " + status + "=2",
                    "subscribed " + status + " from 0 @ 2 " + news + "=2 " + status + "=2",
                    news + " 3 @ 2 " + news + "=3 " + status + "=2");
            assertThat(resumed.drain(300)).as("exactly once").isEmpty();
        }
    }

    @Test
    void aStreamThatDropsBeforeItsSubscribedMissesNothingPublishedMeanwhile() {
        String news = newTopic();
        for (int i = 1; i <= 5; i++) {
            publishTo(news, "before " + i);
        }
        String judy = publisher.newUser();
        String connectedId;
        try (SseClient stream = sse(judy, "?topic=" + news, Map.of())) {
            connectedId = stream.next("connected").id();
        }
        assertThat(connectedId).isEqualTo("0 " + news + "=5");
        publishTo(news, "while away 6");
        publishTo(news, "while away 7");

        try (SseClient resumed = sse(judy, "?topic=" + news, Map.of("Last-Event-ID", connectedId))) {
            assertThat(resumed.data(resumed.next("topic_message"))).containsEntry("seq", 6);
            assertThat(resumed.data(resumed.next("topic_message"))).containsEntry("seq", 7);
            assertThat(resumed.data(resumed.next("subscribed"))).containsEntry("from", 5).containsEntry("cursor", 7);
        }
    }

    @Test
    void aTopicPositionAheadOfTheTopicIsHeldToItsCursorFromTheFirstEvent() {
        String news = newTopic();
        for (int i = 1; i <= 5; i++) {
            publishTo(news, "m" + i);
        }
        String kim = publisher.newUser();

        try (SseClient stream = sse(kim, "?topic=" + news, Map.of("Last-Event-ID", "0 " + news + "=99"))) {
            assertThat(stream.next("connected").id()).as("a drop now must not skip 6 onwards")
                    .isEqualTo("0 " + news + "=5");
            assertThat(stream.data(stream.next("subscribed"))).containsEntry("from", 5).containsEntry("cursor", 5);
            publishTo(news, "m6");
            assertThat(stream.data(stream.next("topic_message"))).containsEntry("seq", 6);
        }
    }

    @Test
    void aStreamWhoseTopicCursorsCannotBeReadEndsWithACloseEventThatEventSourceRetriesNotAnError() throws Exception {
        String news = newTopic();
        publishTo(news, "kept");
        String leo = publisher.newUser();
        try (java.sql.Connection db = herald.db(); java.sql.Statement statement = db.createStatement()) {
            statement.execute("ALTER TABLE topic RENAME TO topic_away");
            try (SseClient stream = sse(leo, "?topic=" + news, Map.of("Last-Event-ID", "0 " + news + "=0"))) {
                assertThat(stream.status()).as("a 5xx would make EventSource give up").isEqualTo(200);
                SseEvent close = stream.next();
                assertThat(close.event()).isEqualTo("close");
                assertThat(close.id()).as("the client keeps its last id").isNull();
                assertThat(stream.data(close)).containsEntry("code", CloseCodes.INTERNAL_ERROR);
                assertThat(stream.awaitEnd(java.time.Duration.ofSeconds(5))).isTrue();
            } finally {
                statement.execute("ALTER TABLE topic_away RENAME TO topic");
            }
        }
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId(leo))).isEmpty();

        try (SseClient retried = sse(leo, "?topic=" + news, Map.of("Last-Event-ID", "0 " + news + "=0"))) {
            assertThat(retried.data(retried.next("topic_message"))).containsEntry("title", "kept");
        }
    }

    @Test
    void aTopicTheUrlNamesAndTheEventIdDoesNotStartsAtItsCursor() {
        String news = newTopic();
        publishTo(news, "old");
        String carol = publisher.newUser();

        try (SseClient stream = sse(carol, "?topic=" + news, Map.of("Last-Event-ID", "0"))) {
            SseEvent subscribed = stream.next("subscribed");
            assertThat(stream.data(subscribed)).containsEntry("from", 1).containsEntry("cursor", 1);
            publishTo(news, "new");
            assertThat(stream.data(stream.next("topic_message"))).containsEntry("title", "new");
        }
    }

    @Test
    void badTopicsOrPositionsGet400NamingTheFieldAndLeaveNoConnection() {
        String dave = publisher.newUser();
        String topic = newTopic();
        List<Map.Entry<String, Map.Entry<String, Map<String, String>>>> cases = List.of(
                Map.entry("topic", Map.entry("?topic=bad%20name", Map.of())),
                Map.entry("topic", Map.entry("?topic=", Map.of())),
                Map.entry("topic", Map.entry("?topic=a&topic=b&topic=c&topic=d", Map.of())),
                Map.entry("Last-Event-ID", Map.entry("?topic=" + topic, Map.of("Last-Event-ID", "3 " + topic + "=x"))),
                Map.entry("Last-Event-ID", Map.entry("?topic=" + topic, Map.of("Last-Event-ID", "3 =1"))),
                Map.entry("Last-Event-ID", Map.entry("?topic=" + topic, Map.of("Last-Event-ID", "3 " + topic + "=-1"))),
                Map.entry("Last-Event-ID",
                        Map.entry("?topic=" + topic, Map.of("Last-Event-ID", "3 " + topic + "=1 " + topic + "=2"))),
                Map.entry("since", Map.entry("?topic=" + topic + "&since=x%20" + topic + "=1", Map.of())));
        for (var bad : cases) {
            String what = bad.getValue().getKey() + " " + bad.getValue().getValue();
            try (SseClient stream = sse(dave, bad.getValue().getKey(), bad.getValue().getValue())) {
                assertThat(stream.status()).as(what).isEqualTo(400);
                assertThat(stream.errorBody()).as(what).contains(bad.getKey());
            }
        }
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId(dave))).isEmpty();
        for (String subscribed : List.of(topic, "a", "b", "c", "d")) {
            assertThat(herald.bean(ConnectionRegistry.class).subscribersOf(subscribed)).as(subscribed).isEmpty();
        }
    }

    // ---- long-poll ---------------------------------------------------------------------------------------

    @Test
    void aTopicPollAnswersAtOnceWithWhatIsStoredAfterSince() {
        String topic = newTopic();
        for (int i = 1; i <= 3; i++) {
            publishTo(topic, "m" + i);
        }
        String erin = publisher.newUser();
        publisher.publish(erin, "a notification of her own, not the topic's");

        long started = System.nanoTime();
        Api.Response response = poll(erin, topic, "?since=1&wait=3s");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.items()).extracting(item -> item.get("seq")).containsExactly(2, 3);
        assertThat(response.items()).allSatisfy(item -> assertThat(item).containsEntry("topic", topic));
        assertThat(response.json()).containsEntry("cursor", 3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2_500);
    }

    @Test
    void aTopicPollAnswersWhenAMessageArrivesAndNotForTheUsersNotifications() throws Exception {
        String topic = newTopic();
        publishTo(topic, "old");
        String frank = publisher.newUser();
        CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(() -> poll(frank, topic, "?since=1&wait=3s"));
        Thread.sleep(500);
        publisher.publish(frank, "his own notification");
        Thread.sleep(300);
        assertThat(poll).as("a notification of the user's is not the topic's").isNotDone();

        publishTo(topic, "new");
        Api.Response response = poll.get(10, TimeUnit.SECONDS);

        assertThat(response.items()).extracting(item -> item.get("title")).containsExactly("new");
        assertThat(response.json()).containsEntry("cursor", 2);
    }

    @Test
    void aTopicPollWithoutSinceAnswersAnEmptyListAndTheTopicsCursorWhenTheWaitEnds() {
        String topic = newTopic();
        publishTo(topic, "one");
        publishTo(topic, "two");
        String grace = publisher.newUser();

        Api.Response response = poll(grace, topic, "?wait=300ms");

        assertThat(response.items()).isEmpty();
        assertThat(response.json()).containsEntry("cursor", 2);
    }

    @Test
    void aTopicPollLimitAnswersPartOfTheBacklogAndItsCursorContinuesIt() {
        String topic = newTopic();
        for (int i = 1; i <= 5; i++) {
            publishTo(topic, "m" + i);
        }
        String heidi = publisher.newUser();

        Api.Response first = poll(heidi, topic, "?since=0&limit=2");
        Api.Response rest = poll(heidi, topic, "?since=" + first.json().get("cursor") + "&limit=10");

        assertThat(first.items()).extracting(item -> item.get("seq")).containsExactly(1, 2);
        assertThat(first.json()).containsEntry("cursor", 2);
        assertThat(rest.items()).extracting(item -> item.get("seq")).containsExactly(3, 4, 5);
        assertThat(rest.json()).containsEntry("cursor", 5);
    }

    @Test
    void aTopicPollWithBadInputGets400NamingTheParameterAndLeavesNoConnection() {
        String ivan = publisher.newUser();
        String topic = newTopic();
        String token = api.login(ivan, Api.PASSWORD);
        for (Map.Entry<String, String> bad : List.of(Map.entry("topic", "/api/topics/bad%20name/messages/poll"),
                Map.entry("since", "/api/topics/" + topic + "/messages/poll?since=-1"),
                Map.entry("wait", "/api/topics/" + topic + "/messages/poll?wait=soon"),
                Map.entry("limit", "/api/topics/" + topic + "/messages/poll?limit=0"))) {
            Api.Response response = api.get(bad.getValue(), token);
            assertThat(response.status()).as(bad.getValue()).isEqualTo(400);
            assertThat(response.body()).as(bad.getValue()).contains(bad.getKey());
        }
        assertThat(api.get("/api/topics/" + topic + "/messages/poll", null).status()).isEqualTo(401);
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId(ivan))).isEmpty();
        assertThat(herald.bean(ConnectionRegistry.class).subscribersOf(topic)).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static String newTopic() {
        return "streams." + TOPICS.incrementAndGet() + "." + System.nanoTime();
    }

    private static void publishTo(String topic, String title) {
        Api.Response response = api.post("/api/topics/" + topic + "/messages", publisher.token(),
                Map.of("type", "t", "title", title));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private static SseClient sse(String username, String query, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", "Bearer " + api.login(username, Api.PASSWORD));
        return SseClient.open(api, "/api/sse" + query, all);
    }

    private static Api.Response poll(String username, String topic, String query) {
        return api.get("/api/topics/" + topic + "/messages/poll" + query, api.login(username, Api.PASSWORD));
    }

    private static long userId(String username) {
        return ((Number) api.get("/api/users/me", api.login(username, Api.PASSWORD)).json().get("id")).longValue();
    }
}
