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
 * catch-up goes by cursor and cannot make good a read-state change, so the message itself must get through;
 * unless it can never go, when it must not hold up the changes behind it.
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

    /**
     * The first node's fan-out, whose messages that mention {@code poison} PostgreSQL refuses every time: they
     * are padded past NOTIFY's 8,000 bytes (no event Herald makes today is that long).
     */
    static final class PoisonedFirstNode extends CrossNodeFanout {

        private final String poison;
        private final AtomicInteger tries = new AtomicInteger();

        PoisonedFirstNode(String poison) {
            super(first.bean(LocalDelivery.class), first.bean(RemoteChanges.class));
            this.poison = poison;
        }

        @Override
        void send(String payload) throws SQLException {
            tries.incrementAndGet();
            first.bean(PostgresFanout.class).send(payload.contains(poison) ? payload + "x".repeat(8_000) : payload);
        }

        @Override
        boolean unsendable(Exception failure) {
            return first.bean(PostgresFanout.class).unsendable(failure);
        }
    }

    @Test
    void aMessageThatCanNeverBeSentIsDroppedAndWhatWasQueuedWithItStillGoesOut() throws Exception {
        Reader victim = readerOnSecondNode("victim");
        String poisoned = victim.publish("a");
        String fine = victim.publish("b");

        PoisonedFirstNode node = new PoisonedFirstNode(poisoned);
        // Both queued before the sender starts, so they go out as one message, which PostgreSQL refuses.
        node.read(victim.userId(), List.of(UUID.fromString(poisoned)));
        node.read(victim.userId(), List.of(UUID.fromString(fine)));
        node.startSending();
        WsClient onSecond = victim.socket();
        try {
            Map<String, Object> announced = onSecond.next(message -> "notification_read".equals(message.get("type")),
                    Duration.ofSeconds(10));

            assertThat(payload(announced).get("ids")).isEqualTo(List.of(fine));
            assertThat(onSecond.drain(Duration.ofMillis(500))).as("nothing else reached the second node").isEmpty();
            assertThat(node.tries.get()).as("the message of both, then each line on its own, once").isEqualTo(3);
            assertThat(node.droppedEvents()).isEqualTo(1);
            assertThat(node.reachesOtherNodes()).isTrue();
        } finally {
            node.stopSending();
            onSecond.close();
        }
    }

    @Test
    void aReadWhoseMessageFailedToGoOutReachesTheOtherNodesDevicesOnceItIsSentAgain() throws Exception {
        Reader reader = readerOnSecondNode("reader");
        WsClient onSecond = reader.socket();
        long readerId = reader.userId();
        String id = reader.publish("read me");

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

    /** A user connected to the second node, and a publisher of their own on the first. */
    private record Reader(String username, String publisherToken, WsClient socket, long userId) {

        /** Publishes to the reader through the first node; returns the id once the second node delivered it. */
        String publish(String title) {
            Map<String, Object> published = first.api().publish(publisherToken,
                    Map.of("username", username, "type", "t", "title", title)).json();
            socket.next("notification");
            return (String) published.get("id");
        }
    }

    private static Reader readerOnSecondNode(String username) {
        awaitListening(first, second);
        Api api = first.api();
        api.createUser(username + "-publisher", "publisher");
        api.createUser(username);
        WsClient socket = WsClient.withToken(second.api(), second.api().login(username, Api.PASSWORD));
        long userId = ((Number) payload(socket.next("connected")).get("userId")).longValue();
        return new Reader(username, api.login(username + "-publisher", Api.PASSWORD), socket, userId);
    }
}
