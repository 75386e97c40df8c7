package dev.herald.delivery;

import static dev.herald.WsClient.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A topic gap far over a connection's queue bound (messages another node published while this one could not
 * hear) reaches a subscriber that reads, if not at once, whole and in order: it takes the gap from the
 * database at its own pace rather than having it pushed as live messages.
 */
class TopicGapTest {

    private static final int GAP = 2_000;

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.delivery.max-queued-messages", 64,
            "herald.delivery.max-queued-bytes", 256 * 1024,
            "herald.delivery.ping-interval", "10m"));

    @Test
    void aGapOverTheQueueBoundReachesASubscriberThatPausesThenReadsWholeAndInOrder() throws Exception {
        Api api = herald.api();
        api.createUser("gap-publisher", "publisher");
        api.createUser("gap-reader");
        String publisher = api.login("gap-publisher", Api.PASSWORD);
        WsClient client = WsClient.connect(api, "/ws",
                Map.of("Authorization", "Bearer " + api.login("gap-reader", Api.PASSWORD)), false);
        client.send(Map.of("type", "subscribe", "topic", "gap", "since", 0));
        Thread.sleep(500); // the subscription registered, so the node hands this topic out from here on
        assertThat(api.post("/api/topics/gap/messages", publisher, Map.of("type", "t", "title", "first")).status())
                .isEqualTo(201);
        storedElsewhere(GAP);

        assertThat(api.post("/api/topics/gap/messages", publisher, Map.of("type", "t", "title", "after")).status())
                .isEqualTo(201);
        Thread.sleep(1_000); // the client pauses (a GC, a radio hand-over), then reads on
        client.startReading();

        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < GAP + 2) {
            seqs.add(seq(client.next(m -> "topic_message".equals(m.get("type")), Duration.ofSeconds(20))));
        }
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, GAP + 2).boxed().toList());
        assertThat(client.isClosed()).as("a client that reads is not closed").isFalse();
        client.close();
    }

    /** Messages committed as another node would, whose fan-out events this node never heard. */
    private static void storedElsewhere(int count) throws Exception {
        String bulky = "x".repeat(4_000);
        try (Connection db = herald.db()) {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO topic_message"
                    + " (topic, seq, id, type, title, message, publisher_id) VALUES ('gap', ?, ?, 't', ?, ?, 1)")) {
                for (long seq = 2; seq < 2 + count; seq++) {
                    insert.setLong(1, seq);
                    insert.setObject(2, UUID.randomUUID());
                    insert.setString(3, "g" + seq);
                    insert.setString(4, bulky);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement bump = db.prepareStatement("UPDATE topic SET last_seq = ? WHERE name = 'gap'")) {
                bump.setLong(1, 1 + count);
                bump.executeUpdate();
            }
        }
    }
}
