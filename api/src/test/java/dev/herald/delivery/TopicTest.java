package dev.herald.delivery;

import static dev.herald.WsClient.payload;
import static dev.herald.WsClient.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPublisher;
import dev.herald.WsClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topics: one stored message, delivered to every subscribed connection, resumable from the topic's seq. */
class TopicTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.delivery.max-subscriptions", 3));
    static Api api;
    static TestPublisher publisher;
    static final AtomicInteger TOPICS = new AtomicInteger();

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "topic-");
    }

    @Test
    void everySubscriberReceivesAMessageStoredOnceAndOthersReceiveNothing() throws Exception {
        String topic = newTopic();
        List<WsClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subscribers.add(subscribed(topic, null));
        }
        WsClient bystander = connected(publisher.newUser());

        Api.Response published = publish(topic, "to all of them");

        assertThat(published.status()).as(published.body()).isEqualTo(201);
        assertThat(published.json()).containsEntry("topic", topic).containsEntry("seq", 1).containsKey("id");
        for (WsClient subscriber : subscribers) {
            Map<String, Object> message = subscriber.next("topic_message");
            assertThat(payload(message)).containsEntry("topic", topic).containsEntry("seq", 1)
                    .containsEntry("title", "to all of them").containsEntry("id", published.json().get("id"))
                    .containsKeys("type", "message", "data", "priority", "tags", "createdAt");
            assertThat(subscriber.drain(Duration.ofMillis(300))).as("exactly once").isEmpty();
        }
        assertThat(bystander.drain(Duration.ofMillis(300))).isEmpty();
        assertThat(storedMessages(topic)).isEqualTo(1);
        subscribers.forEach(WsClient::close);
        bystander.close();
    }

    @Test
    void subscribingWithSinceSendsTheBacklogThenLiveMessagesWithoutGapOrDuplicate() {
        String topic = newTopic();
        for (int i = 1; i <= 3; i++) {
            publish(topic, "stored " + i);
        }
        WsClient client = connected(publisher.newUser());

        client.send(Map.of("type", "subscribe", "topic", topic, "since", 1));

        assertThat(seq(client.next("topic_message"))).isEqualTo(2);
        assertThat(seq(client.next("topic_message"))).isEqualTo(3);
        assertThat(payload(client.next("subscribed"))).containsEntry("topic", topic).containsEntry("from", 1)
                .containsEntry("cursor", 3);
        publish(topic, "live");
        Map<String, Object> live = client.next("topic_message");
        assertThat(seq(live)).isEqualTo(4);
        assertThat(payload(live)).containsEntry("title", "live");
        assertThat(client.drain(Duration.ofMillis(300))).isEmpty();
        client.close();
    }

    @Test
    void subscribingWithoutSinceStartsAtTheTopicsCursor() {
        String topic = newTopic();
        publish(topic, "before");
        WsClient client = subscribed(topic, null);

        publish(topic, "after");

        Map<String, Object> message = client.next("topic_message");
        assertThat(seq(message)).isEqualTo(2);
        assertThat(payload(message)).containsEntry("title", "after");
        client.close();
    }

    @Test
    void messagesPublishedWhileSubscribingArriveInSeqOrderOnce() {
        String topic = newTopic();
        List<WsClient> clients = IntStream.range(0, 4).mapToObj(i -> connected(publisher.newUser())).toList();

        Thread publishing = Thread.ofPlatform().start(() -> IntStream.rangeClosed(1, 40).forEach(i -> publish(topic, "m" + i)));
        clients.forEach(client -> client.send(Map.of("type", "subscribe", "topic", topic, "since", 0)));
        try {
            publishing.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }

        for (WsClient client : clients) {
            List<Long> seqs = new ArrayList<>();
            while (seqs.size() < 40) {
                seqs.add(seq(client.next("topic_message")));
            }
            assertThat(seqs).containsExactlyElementsOf(IntStream.rangeClosed(1, 40).mapToObj(i -> (long) i).toList());
            assertThat(client.drain(Duration.ofMillis(300))).noneMatch(m -> "topic_message".equals(m.get("type")));
            client.close();
        }
    }

    @Test
    void concurrentPublishersMessagesReachEverySubscriberInSeqOrderOnce() throws Exception {
        String topic = newTopic();
        List<WsClient> subscribers = IntStream.range(0, 4).mapToObj(i -> subscribed(topic, null)).toList();

        List<Thread> publishers = IntStream.range(0, 4).mapToObj(p -> Thread.ofPlatform().start(
                () -> IntStream.range(0, 25).forEach(i -> publish(topic, "p" + p + "-" + i)))).toList();
        for (Thread publisher : publishers) {
            publisher.join();
        }

        for (WsClient subscriber : subscribers) {
            List<Long> seqs = new ArrayList<>();
            while (seqs.size() < 100) {
                seqs.add(seq(subscriber.next("topic_message")));
            }
            assertThat(seqs).containsExactlyElementsOf(IntStream.rangeClosed(1, 100).mapToObj(i -> (long) i).toList());
            assertThat(subscriber.drain(Duration.ofMillis(300))).isEmpty();
            subscriber.close();
        }
    }

    @Test
    void theSameKeyPublishedConcurrentlyStoresOneMessageAndUsesOneSeq() throws Exception {
        String topic = newTopic();
        String path = "/api/topics/" + topic + "/messages";
        Map<String, Object> body = Map.of("type", "t", "title", "raced");
        List<Api.Response> responses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> racers = IntStream.range(0, 4).mapToObj(i -> Thread.ofPlatform().start(() ->
                responses.add(api.post(path, publisher.token(), body, Map.of("Idempotency-Key", "race"))))).toList();
        for (Thread racer : racers) {
            racer.join();
        }

        assertThat(responses).extracting(Api.Response::status).containsOnlyOnce(201).containsOnly(201, 200);
        assertThat(responses).extracting(r -> r.json().get("id")).containsOnly(responses.getFirst().json().get("id"));
        assertThat(storedMessages(topic)).isEqualTo(1);
        assertThat(publish(topic, "next").json()).as("a refused insert gave its seq back").containsEntry("seq", 2);
    }

    @Test
    void aSinceThatIsNotAWholeSeqOfZeroOrMoreIsRefused() {
        String topic = newTopic();
        publish(topic, "stored");
        WsClient client = connected(publisher.newUser());

        client.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"since\":0.5}");
        assertThat(payload(client.next("error"))).containsEntry("code", "invalid_message");
        client.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"since\":\"0\"}");
        assertThat(payload(client.next("error"))).containsEntry("code", "invalid_message");
        // 2^64: its low 64 bits are 0, which would replay the whole topic
        client.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"since\":18446744073709551616}");
        assertThat(payload(client.next("error"))).containsEntry("code", "invalid_message");

        assertThat(client.drain(Duration.ofMillis(500))).isEmpty();
        client.close();
    }

    @Test
    void anUnsubscribedConnectionReceivesNothingMore() {
        String topic = newTopic();
        WsClient client = subscribed(topic, null);

        client.send(Map.of("type", "unsubscribe", "topic", topic));
        client.send(Map.of("type", "ping"));
        client.next("pong"); // the unsubscribe was handled: frames are read in order
        publish(topic, "not for them");

        assertThat(client.drain(Duration.ofMillis(500))).isEmpty();
        client.close();
    }

    @Test
    void aBadSubscribeGetsAnErrorAndSubscribesToNothing() {
        String topic = newTopic();
        WsClient client = connected(publisher.newUser());

        client.send(Map.of("type", "subscribe", "topic", "has spaces"));
        assertThat(payload(client.next("error"))).containsEntry("code", "invalid_message");
        client.send(Map.of("type", "subscribe"));
        assertThat(payload(client.next("error"))).containsEntry("code", "invalid_message");
        client.send(Map.of("type", "subscribe", "topic", topic, "since", -1));
        assertThat(payload(client.next("error"))).containsEntry("code", "invalid_message");
        publish(topic, "not subscribed");

        assertThat(client.drain(Duration.ofMillis(500))).isEmpty();
        client.close();
    }

    @Test
    void aConnectionOverItsSubscriptionLimitIsRefusedTheExtraTopicAndKeepsTheOthers() {
        List<String> topics = IntStream.range(0, 4).mapToObj(i -> newTopic()).toList();
        WsClient client = connected(publisher.newUser());
        for (String topic : topics.subList(0, 3)) {
            client.send(Map.of("type", "subscribe", "topic", topic));
            client.next("subscribed");
        }

        client.send(Map.of("type", "subscribe", "topic", topics.get(3)));

        assertThat(payload(client.next("error"))).containsEntry("code", "too_many_subscriptions");
        publish(topics.get(3), "refused topic");
        publish(topics.get(0), "kept topic");
        Map<String, Object> message = client.next("topic_message");
        assertThat(payload(message)).containsEntry("topic", topics.get(0));
        assertThat(client.drain(Duration.ofMillis(300))).isEmpty();
        client.close();
    }

    @Test
    void onlyPublishersAndAdminsPublishAndARefusedPublishStoresNothing() throws Exception {
        String topic = newTopic();
        String user = api.login(publisher.newUser(), Api.PASSWORD);

        Api.Response refused = api.post("/api/topics/" + topic + "/messages", user, Map.of("type", "t", "title", "x"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(storedMessages(topic)).isZero();
    }

    @Test
    void anInvalidMessageOrTopicNameIsRefusedWithTheFieldAndStoresNothing() throws Exception {
        String topic = newTopic();

        Api.Response noTitle = api.post("/api/topics/" + topic + "/messages", publisher.token(), Map.of("type", "t"));
        Api.Response badName = api.post("/api/topics/bad%20name/messages", publisher.token(),
                Map.of("type", "t", "title", "x"));
        Api.Response badPriority = api.post("/api/topics/" + topic + "/messages", publisher.token(),
                Map.of("type", "t", "title", "x", "priority", 9));

        assertThat(noTitle.status()).isEqualTo(400);
        assertThat(noTitle.body()).contains("title");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body()).contains("topic");
        assertThat(badPriority.status()).isEqualTo(400);
        assertThat(badPriority.body()).contains("priority");
        assertThat(storedMessages(topic)).isZero();
        assertThat(publish(topic, "first valid").json()).as("no seq was used up").containsEntry("seq", 1);
    }

    @Test
    void theSameIdempotencyKeyReplaysTheMessageAndAnotherBodyUnderItConflicts() throws Exception {
        String topic = newTopic();
        Map<String, String> key = Map.of("Idempotency-Key", "announce-1");
        String path = "/api/topics/" + topic + "/messages";

        Api.Response first = api.post(path, publisher.token(), Map.of("type", "t", "title", "once"), key);
        Api.Response again = api.post(path, publisher.token(), Map.of("type", "t", "title", "once"), key);
        Api.Response other = api.post(path, publisher.token(), Map.of("type", "t", "title", "changed"), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(storedMessages(topic)).isEqualTo(1);
    }

    @Test
    void historyPagesNewestFirstForAnySignedInUser() {
        String topic = newTopic();
        for (int i = 1; i <= 5; i++) {
            publish(topic, "h" + i);
        }
        String reader = api.login(publisher.newUser(), Api.PASSWORD);
        String path = "/api/topics/" + topic + "/messages";

        Api.Response newest = api.get(path + "?limit=2", reader);
        Api.Response next = api.get(path + "?limit=2&before=" + newest.json().get("nextCursor"), reader);
        Api.Response after = api.get(path + "?limit=10&after=3", reader);

        assertThat(newest.items()).extracting(m -> m.get("seq")).containsExactly(5, 4);
        assertThat(newest.json()).containsEntry("nextCursor", 4);
        assertThat(next.items()).extracting(m -> m.get("seq")).containsExactly(3, 2);
        assertThat(after.items()).extracting(m -> m.get("seq")).containsExactly(5, 4);
        assertThat(after.json().get("nextCursor")).isNull();
        assertThat(api.get(path, null).status()).isEqualTo(401);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    @Test
    void aPublisherRetractsTheirMessageAndSubscribersResumingFromBeforeItStepOverItsSeq() throws Exception {
        String topic = newTopic();
        publish(topic, "one");
        String wrong = (String) publish(topic, "posted by mistake").json().get("id");
        publish(topic, "three");

        Api.Response deleted = api.delete("/api/topics/" + topic + "/messages/" + wrong, publisher.token());

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(storedMessages(topic)).isEqualTo(2);
        assertThat(api.get("/api/topics/" + topic + "/messages", publisher.token()).items())
                .extracting(item -> item.get("title")).containsExactly("three", "one");
        WsClient client = connected(publisher.newUser());
        client.send(Map.of("type", "subscribe", "topic", topic, "since", 0));
        assertThat(payload(client.next("topic_message"))).containsEntry("seq", 1);
        assertThat(payload(client.next("topic_message"))).containsEntry("seq", 3);
        assertThat(payload(client.next("subscribed"))).containsEntry("cursor", 3);
        assertThat(publish(topic, "four").json()).as("a retracted seq is not handed out again").containsEntry("seq", 4);
        assertThat(seq(client.next("topic_message"))).isEqualTo(4);
        assertThat(client.drain(Duration.ofMillis(300))).as("no error, nothing twice").isEmpty();
        client.close();
    }

    @Test
    void aSubscriberResumingAcrossARetractedLatestMessageStandsAtTheTopicsCursor() {
        String topic = newTopic();
        publish(topic, "one");
        String latest = (String) publish(topic, "retracted").json().get("id");
        assertThat(api.delete("/api/topics/" + topic + "/messages/" + latest, publisher.token()).status()).isEqualTo(204);
        WsClient client = connected(publisher.newUser());

        client.send(Map.of("type", "subscribe", "topic", topic, "since", 1));

        assertThat(payload(client.next("subscribed"))).as("seq 2 is behind it, not a gap before the next message")
                .containsEntry("from", 1).containsEntry("cursor", 2);
        publish(topic, "three");
        assertThat(seq(client.next("topic_message"))).isEqualTo(3);
        assertThat(client.drain(Duration.ofMillis(300))).isEmpty();
        client.close();
    }

    @Test
    void onlyItsPublisherOrAnAdminMayRetractAMessageAndAnythingElseChangesNothing() throws Exception {
        String topic = newTopic();
        String other = newTopic();
        String id = (String) publish(topic, "mine").json().get("id");
        String rival = "topic-rival-" + TOPICS.incrementAndGet();
        api.createUser(rival, "publisher");
        String reader = publisher.newUser();
        String path = "/api/topics/" + topic + "/messages/";

        assertThat(api.delete(path + id, api.login(rival, Api.PASSWORD)).status()).as("another publisher's").isEqualTo(404);
        assertThat(api.delete(path + id, api.login(reader, Api.PASSWORD)).status()).as("not a publisher").isEqualTo(403);
        assertThat(api.delete("/api/topics/" + other + "/messages/" + id, publisher.token()).status())
                .as("the id on another topic").isEqualTo(404);
        assertThat(api.delete(path + java.util.UUID.randomUUID(), publisher.token()).status()).isEqualTo(404);
        assertThat(api.delete(path + "not-a-uuid", publisher.token()).status()).isEqualTo(400);
        assertThat(api.delete("/api/topics/bad%20name/messages/" + id, publisher.token()).status()).isEqualTo(400);
        assertThat(storedMessages(topic)).as("nothing was deleted").isEqualTo(1);

        assertThat(api.delete(path + id, api.adminToken()).status()).as("an admin may retract any").isEqualTo(204);
        assertThat(storedMessages(topic)).isZero();
        assertThat(api.delete(path + id, api.adminToken()).status()).as("gone").isEqualTo(404);
    }

    private static String newTopic() {
        return "news-" + TOPICS.incrementAndGet();
    }

    private static Api.Response publish(String topic, String title) {
        Api.Response response = api.post("/api/topics/" + topic + "/messages", publisher.token(),
                Map.of("type", "announcement", "title", title));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static WsClient connected(String username) {
        WsClient client = WsClient.withToken(api, api.login(username, Api.PASSWORD));
        assertThat(client.next().get("type")).isEqualTo("connected");
        return client;
    }

    private static WsClient subscribed(String topic, Long since) {
        WsClient client = connected(publisher.newUser());
        client.send(since == null ? Map.of("type", "subscribe", "topic", topic)
                : Map.of("type", "subscribe", "topic", topic, "since", since));
        assertThat(payload(client.next("subscribed"))).containsEntry("topic", topic);
        return client;
    }

    private static long storedMessages(String topic) throws Exception {
        try (Connection db = herald.db();
             PreparedStatement count = db.prepareStatement("SELECT count(*) FROM topic_message WHERE topic = ?")) {
            count.setString(1, topic);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
