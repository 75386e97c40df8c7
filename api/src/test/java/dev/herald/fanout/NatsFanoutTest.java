package dev.herald.fanout;

import static dev.herald.WsClient.payload;
import static dev.herald.WsClient.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPostgres;
import dev.herald.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes whose fan-out goes through the NATS server on 127.0.0.1:4222 (started by .ci/run). */
class NatsFanoutTest {

    static final String DATABASE = TestPostgres.freshDatabase();
    /** A subject of this run's own, so that other runs on the same NATS server do not cross. */
    static final String SUBJECT = "herald_test_" + UUID.randomUUID().toString().replace("-", "");

    @RegisterExtension
    static final HeraldServer first = node();
    @RegisterExtension
    static final HeraldServer second = node();

    static HeraldServer node() {
        return new HeraldServer(Map.of("datasources.default.url", DATABASE,
                "herald.fanout.transport", "nats",
                "herald.fanout.channel", SUBJECT,
                "herald.fanout.reconcile-interval", "1h"));
    }

    @BeforeAll
    static void connected() {
        assertThat(first.bean(NatsFanout.class).hearsOtherNodes()).isTrue();
        assertThat(second.bean(NatsFanout.class).hearsOtherNodes()).isTrue();
    }

    @Test
    void notificationsAndReadStateCrossNodesThroughNats() {
        first.api().createUser("publisher", "publisher");
        first.api().createUser("roamer");
        String publisher = first.api().login("publisher", Api.PASSWORD);
        String token = second.api().login("roamer", Api.PASSWORD);
        try (WsClient onFirst = WsClient.withToken(first.api(), token);
             WsClient onSecond = WsClient.withToken(second.api(), token)) {
            onFirst.next("connected");
            onSecond.next("connected");

            String id = (String) first.api().publish(publisher, Map.of("username", "roamer", "type", "t", "title", "hi"))
                    .json().get("id");
            second.api().publish(publisher, Map.of("username", "roamer", "type", "t", "title", "again"));

            for (WsClient device : List.of(onFirst, onSecond)) {
                assertThat(seq(device.next("notification"))).isEqualTo(1);
                assertThat(seq(device.next("notification"))).isEqualTo(2);
            }
            second.api().post("/api/notifications/read", token, Map.of("ids", List.of(id)));
            assertThat(payload(onFirst.next("notification_read")).get("ids")).isEqualTo(List.of(id));
            assertThat(onFirst.drain(Duration.ofMillis(300))).isEmpty();
        }
    }
}
