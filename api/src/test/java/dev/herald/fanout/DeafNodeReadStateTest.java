package dev.herald.fanout;

import static dev.herald.WsClient.payload;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes on one PostgreSQL that wait 3 s before listening again when their listening connection drops,
 * so that a change made in between is one the other node surely did not hear.
 */
class DeafNodeReadStateTest {

    static final String DATABASE = TestPostgres.freshDatabase();

    @RegisterExtension
    static final HeraldServer first = ListeningNodes.node(DATABASE, "3s");
    @RegisterExtension
    static final HeraldServer second = ListeningNodes.node(DATABASE, "3s");

    @Test
    void aNotificationReadWhileANodeWasDeafIsAnnouncedToItsDevicesWhenItListensAgain() throws Exception {
        awaitListening(first, second);
        Api api = first.api();
        api.createUser("publisher", "publisher");
        api.createUser("reader");
        String publisher = api.login("publisher", Api.PASSWORD);
        String reader = api.login("reader", Api.PASSWORD);
        WsClient onSecond = WsClient.withToken(second.api(), second.api().login("reader", Api.PASSWORD));
        onSecond.next("connected");
        String read = (String) api.publish(publisher, Map.of("username", "reader", "type", "t", "title", "read me")).json().get("id");
        api.publish(publisher, Map.of("username", "reader", "type", "t", "title", "leave me"));
        onSecond.next("notification");
        onSecond.next("notification");

        int listensBefore = listens(second);
        try (Connection db = first.db(); Statement statement = db.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'");
        }
        awaitDeaf(second);
        assertThat(fanoutHealth(second)).as("a monitor is told, and the node still answers 200").isEqualTo("DEGRADED");
        assertThat(api.post("/api/notifications/read", reader, Map.of("ids", List.of(read))).status()).isEqualTo(200);
        assertThat(listens(second)).as("the read was made while the node was deaf")
                .isEqualTo(listensBefore);

        Map<String, Object> announced = onSecond.next(message -> "notification_read".equals(message.get("type")),
                Duration.ofSeconds(15));

        assertThat(payload(announced).get("ids")).isEqualTo(List.of(read));
        awaitListening(second); // it announces what was read just before it counts itself as listening again
        assertThat(listens(second)).isGreaterThan(listensBefore);
        assertThat(fanoutHealth(second)).isEqualTo("UP");
        onSecond.close();
    }

    @SuppressWarnings("unchecked")
    private static String fanoutHealth(HeraldServer node) {
        Api.Response health = node.api().get("/health", node.api().adminToken());
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        Map<String, Object> details = (Map<String, Object>) health.json().get("details");
        return (String) ((Map<String, Object>) details.get("fanout")).get("status");
    }

    private static void awaitDeaf(HeraldServer node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (node.bean(PostgresFanout.class).hearsOtherNodes()) {
            assertThat(System.nanoTime()).as("the node notices its connection dropped within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
