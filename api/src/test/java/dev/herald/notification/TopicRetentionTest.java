package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic messages older than the retention are deleted; newer ones and the topic's cursor stay. */
class TopicRetentionTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.notification.topic-retention", "1d",
            "herald.notification.topic-retention-sweep", "200ms"));

    @Test
    void messagesOlderThanTheRetentionAreDeletedAndSeqsAreNeverHandedOutAgain() throws Exception {
        Api api = herald.api();
        api.createUser("retention-publisher", "publisher");
        String publisher = api.login("retention-publisher", Api.PASSWORD);
        for (int i = 1; i <= 3; i++) {
            assertThat(api.post("/api/topics/news/messages", publisher, Map.of("type", "t", "title", "n" + i)).status())
                    .isEqualTo(201);
        }
        try (Connection db = herald.db();
             PreparedStatement age = db.prepareStatement(
                     "UPDATE topic_message SET created_at = now() - interval '2 days' WHERE topic = 'news' AND seq <= 2")) {
            age.executeUpdate();
        }

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!storedSeqs().equals(List.of(3L)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(storedSeqs()).as("the two older than a day went, the fresh one stayed").containsExactly(3L);
        Api.Response next = api.post("/api/topics/news/messages", publisher, Map.of("type", "t", "title", "n4"));
        assertThat(next.json()).as("the cursor stayed").containsEntry("seq", 4);
        assertThat(api.get("/api/topics/news/messages", publisher).items()).extracting(m -> m.get("seq"))
                .containsExactly(4, 3);
    }

    private static List<Long> storedSeqs() throws Exception {
        try (Connection db = herald.db();
             PreparedStatement query = db.prepareStatement("SELECT seq FROM topic_message WHERE topic = 'news' ORDER BY seq");
             ResultSet rs = query.executeQuery()) {
            List<Long> seqs = new ArrayList<>();
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
            return seqs;
        }
    }
}
