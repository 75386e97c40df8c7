package dev.herald.fanout;

import static dev.herald.WsClient.payload;
import static dev.herald.fanout.ListeningNodes.awaitListening;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPostgres;
import dev.herald.WsClient;
import dev.herald.delivery.LocalDelivery;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node whose fan-out message fails to go out (its database connection broke under the NOTIFY). The periodic
 * catch-up goes by cursor and cannot make good a read-state change, so the message itself must get through.
 */
class UnsentFanoutMessageTest {

    static final String DATABASE = TestPostgres.freshDatabase();

    @RegisterExtension
    static final HeraldServer first = ListeningNodes.node(DATABASE, "1s");
    @RegisterExtension
    static final HeraldServer second = ListeningNodes.node(DATABASE, "1s");

    /** The first node's fan-out, whose NOTIFY fails the first {@code failures} times it is tried. */
    static final class FailingFirstNode extends CrossNodeFanout {

        private final AtomicInteger failuresLeft;
        private final AtomicInteger tries = new AtomicInteger();
        private volatile boolean reachedOthersAtTheSecondTry = true;

        FailingFirstNode(int failures) {
            super(first.bean(LocalDelivery.class), first.bean(RemoteChanges.class));
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        void send(String payload) throws SQLException {
            if (tries.incrementAndGet() == 2) {
                reachedOthersAtTheSecondTry = reachesOtherNodes();
            }
            if (failuresLeft.getAndDecrement() > 0) {
                throw new SQLException("An I/O error occurred while sending to the backend", "08006");
            }
            first.bean(PostgresFanout.class).send(payload);
        }
    }

    @Test
    void aReadWhoseMessageFailedToGoOutReachesTheOtherNodesDevicesOnceItIsSentAgain() throws Exception {
        awaitListening(first, second);
        Api api = first.api();
        api.createUser("publisher", "publisher");
        api.createUser("reader");
        String publisher = api.login("publisher", Api.PASSWORD);
        WsClient onSecond = WsClient.withToken(second.api(), second.api().login("reader", Api.PASSWORD));
        long readerId = ((Number) payload(onSecond.next("connected")).get("userId")).longValue();
        Map<String, Object> published = api.publish(publisher, Map.of("username", "reader", "type", "t", "title", "read me")).json();
        onSecond.next("notification");
        String id = (String) published.get("id");

        FailingFirstNode node = new FailingFirstNode(2);
        node.startSending();
        try {
            node.read(readerId, List.of(UUID.fromString(id)));

            Map<String, Object> announced = onSecond.next(message -> "notification_read".equals(message.get("type")),
                    Duration.ofSeconds(10));

            assertThat(payload(announced).get("ids")).isEqualTo(List.of(id));
            assertThat(node.tries.get()).as("two failed tries, then the one that went out").isEqualTo(3);
            assertThat(node.reachedOthersAtTheSecondTry).as("/health's fanout is DEGRADED while sends fail").isFalse();
            assertThat(node.reachesOtherNodes()).isTrue();
        } finally {
            node.stopSending();
            onSecond.close();
        }
    }
}
