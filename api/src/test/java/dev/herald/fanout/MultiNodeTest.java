package dev.herald.fanout;

import static dev.herald.WsClient.payload;
import static dev.herald.WsClient.seq;
import static dev.herald.fanout.ListeningNodes.awaitListening;
import static dev.herald.fanout.ListeningNodes.listens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPostgres;
import dev.herald.WsClient;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three nodes on one PostgreSQL, with one user's connections spread over all three. */
class MultiNodeTest {

    static final String DATABASE = TestPostgres.freshDatabase();

    @RegisterExtension
    static final HeraldServer first = node();
    @RegisterExtension
    static final HeraldServer second = node();
    @RegisterExtension
    static final HeraldServer third = node();

    static String publisher;

    static HeraldServer node() {
        return ListeningNodes.node(DATABASE, "200ms"); // these tests must pass on NOTIFY alone
    }

    @BeforeAll
    static void createUsers() {
        first.api().createUser("publisher", "publisher");
        publisher = first.api().login("publisher", Api.PASSWORD);
        awaitListening(first, second, third);
    }

    @Test
    void aNotificationPublishedOnAnyNodeReachesTheUsersConnectionsOnEveryNodeOnce() {
        first.api().createUser("spread");
        List<WsClient> devices = connectEverywhere("spread");

        third.api().publish(publisher, Map.of("username", "spread", "type", "t", "title", "via third"));
        first.api().publish(publisher, Map.of("username", "spread", "type", "t", "title", "via first"));
        second.api().publish(publisher, Map.of("username", "spread", "type", "t", "title", "via second"));

        for (WsClient device : devices) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seqs.add(seq(device.next("notification")));
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L);
            assertThat(device.drain(Duration.ofMillis(400))).as("each exactly once").isEmpty();
        }
        devices.forEach(WsClient::close);
    }

    @Test
    void aBatchForManyUsersReachesEachUsersConnectionsOnEveryNodeInSeqOrderOnce() {
        first.api().createUser("batch-a");
        first.api().createUser("batch-b");
        List<WsClient> devicesOfA = connectEverywhere("batch-a");
        List<WsClient> devicesOfB = connectEverywhere("batch-b");
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(Map.of("username", i % 2 == 0 ? "batch-a" : "batch-b", "type", "t", "title", "b" + i));
        }

        assertThat(second.api().post("/api/notifications/batch", publisher, batch).status()).isEqualTo(201);

        for (WsClient device : concat(devicesOfA, devicesOfB)) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                seqs.add(seq(device.next("notification")));
            }
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 15).boxed().toList());
            assertThat(device.drain(Duration.ofMillis(300))).as("each exactly once").isEmpty();
        }
        concat(devicesOfA, devicesOfB).forEach(WsClient::close);
    }

    private static List<WsClient> concat(List<WsClient> some, List<WsClient> more) {
        List<WsClient> all = new ArrayList<>(some);
        all.addAll(more);
        return all;
    }

    @Test
    void readStateChangedOnOneNodeReachesTheOthers() {
        first.api().createUser("reader");
        List<WsClient> devices = connectEverywhere("reader");
        String id = (String) first.api().publish(publisher, Map.of("username", "reader", "type", "t", "title", "read me"))
                .json().get("id");
        devices.forEach(device -> device.next("notification"));

        String token = second.api().login("reader", Api.PASSWORD);
        assertThat(second.api().post("/api/notifications/read", token, Map.of("ids", List.of(id))).status()).isEqualTo(200);
        for (WsClient device : devices) {
            assertThat(payload(device.next("notification_read")).get("ids")).isEqualTo(List.of(id));
        }
        third.api().publish(publisher, Map.of("username", "reader", "type", "t", "title", "read all of us"));
        devices.forEach(device -> device.next("notification"));
        assertThat(third.api().post("/api/notifications/read-all", token, Map.of()).status()).isEqualTo(200);
        for (WsClient device : devices) {
            assertThat(payload(device.next("all_read"))).containsEntry("upTo", 2);
        }
        devices.forEach(WsClient::close);
    }

    @Test
    void aNodeWhoseListeningConnectionDropsCatchesUpWithNothingLostOrRepeated() throws Exception {
        first.api().createUser("deafened");
        WsClient onSecond = WsClient.withToken(second.api(), second.api().login("deafened", Api.PASSWORD));
        onSecond.next("connected");
        first.api().publish(publisher, Map.of("username", "deafened", "type", "t", "title", "before"));
        assertThat(seq(onSecond.next("notification"))).isEqualTo(1);

        // Cut every node's listening connection; publish while they are deaf.
        int[] listensBefore = {listens(first), listens(second), listens(third)};
        try (Connection connection = first.db(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'");
        }
        for (int i = 0; i < 5; i++) {
            first.api().publish(publisher, Map.of("username", "deafened", "type", "t", "title", "while deaf " + i));
        }
        awaitRelistened(listensBefore);
        first.api().publish(publisher, Map.of("username", "deafened", "type", "t", "title", "after"));

        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seqs.add(seq(onSecond.next("notification")));
        }
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(2, 7).boxed().toList());
        assertThat(onSecond.drain(Duration.ofMillis(400))).isEmpty();
        onSecond.close();
    }

    @Test
    void aTopicMessagePublishedOnAnyNodeReachesItsSubscribersOnEveryNodeInSeqOrderOnce() {
        first.api().createUser("topic-reader");
        List<WsClient> devices = connectEverywhere("topic-reader");
        devices.forEach(device -> {
            device.send(Map.of("type", "subscribe", "topic", "fleet"));
            device.next("subscribed");
        });

        List<HeraldServer> nodes = List.of(third, first, second);
        for (int i = 0; i < 6; i++) {
            Api.Response published = nodes.get(i % 3).api().post("/api/topics/fleet/messages", publisher,
                    Map.of("type", "t", "title", "via node " + i));
            assertThat(published.status()).as(published.body()).isEqualTo(201);
        }

        for (WsClient device : devices) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seqs.add(seq(device.next("topic_message")));
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(device.drain(Duration.ofMillis(400))).as("each exactly once").isEmpty();
        }
        devices.forEach(WsClient::close);
    }

    private static List<WsClient> connectEverywhere(String username) {
        List<WsClient> devices = new ArrayList<>();
        for (HeraldServer node : List.of(first, second, third)) {
            WsClient device = WsClient.withToken(node.api(), node.api().login(username, Api.PASSWORD));
            device.next("connected");
            devices.add(device);
        }
        return devices;
    }

    /** Waits until every node listened again after the counts given (and so caught up). */
    private static void awaitRelistened(int[] before) throws InterruptedException {
        List<HeraldServer> nodes = List.of(first, second, third);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (int i = 0; i < nodes.size(); i++) {
            while (listens(nodes.get(i)) <= before[i]) {
                assertThat(System.nanoTime()).as("node %d listens again within 15 s", i + 1).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}
