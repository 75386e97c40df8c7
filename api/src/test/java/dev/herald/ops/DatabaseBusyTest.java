package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool of two connections, both taken by publishes that wait on a row lock the test holds: the next
 * request finds none free.
 */
class DatabaseBusyTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "datasources.default.maximum-pool-size", 2,
            "datasources.default.minimum-idle", 2,
            "datasources.default.connection-timeout", 500));

    @Test
    void requestThatFindsNoFreeDatabaseConnectionGets503WithRetryAfter() throws Exception {
        Api api = herald.api();
        api.createUser("busy-publisher", "publisher");
        api.createUser("busy-reader");
        String publisher = api.login("busy-publisher", Api.PASSWORD);
        String reader = api.login("busy-reader", Api.PASSWORD);
        Map<String, Object> request = Map.of("username", "busy-reader", "type", "t", "title", "x");
        assertThat(api.publish(publisher, request).status()).isEqualTo(201);
        String ticket = (String) api.post("/api/ws/tickets", reader, Map.of()).json().get("ticket");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection lock = herald.db()) {
            lock.setAutoCommit(false);
            lock.createStatement().executeQuery("SELECT 1 FROM notification_cursor FOR UPDATE").close();
            Future<Api.Response> waiting = pool.submit(() -> api.publish(publisher, request));
            Future<Api.Response> waitingBatch = pool.submit(() ->
                    api.post("/api/notifications/batch", publisher, java.util.List.of(request)));
            herald.awaitWaitingOnLock(2);

            Api.Response busy = api.get("/api/notifications", reader);

            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.raw().headers().firstValue("Retry-After")).hasValue("1");
            assertThat(busy.contentType()).startsWith("application/problem+json");
            assertThatThrownBy(() -> WsClient.connect(api, "/ws?ticket=" + ticket, Map.of()))
                    .as("a WebSocket whose ticket cannot be redeemed now")
                    .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, refused -> assertThat(refused.status()).isEqualTo(503));
            lock.commit();
            assertThat(waiting.get().status()).isEqualTo(201);
            assertThat(waitingBatch.get().status()).isEqualTo(201);
        } finally {
            pool.shutdown();
        }
        assertThat(api.get("/api/notifications", reader).items()).hasSize(3);
        try (WsClient socket = WsClient.connect(api, "/ws?ticket=" + ticket, Map.of())) {
            assertThat(socket.next().get("type")).as("the ticket was not used up by the refused attempt").isEqualTo("connected");
        }
    }
}
