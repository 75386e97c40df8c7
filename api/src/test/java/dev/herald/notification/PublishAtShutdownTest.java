package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node stopped while a publish waits on the database: the publish is stored and answered first. */
class PublishAtShutdownTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();

    @Test
    void aPublishInFlightWhenShutdownBeginsIsStoredAndAnswered() throws Exception {
        Api api = herald.api();
        api.createUser("publisher", "publisher");
        api.createUser("listener");
        String publisher = api.login("publisher", Api.PASSWORD);
        assertThat(api.publish(publisher, Map.of("username", "listener", "type", "t", "title", "first")).status()).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection lock = herald.db()) {
            lock.setAutoCommit(false);
            lock.createStatement().executeQuery("SELECT 1 FROM notification_cursor FOR UPDATE").close();
            Future<Api.Response> inFlight = pool.submit(() ->
                    api.publish(publisher, Map.of("username", "listener", "type", "t", "title", "in flight")));
            herald.awaitWaitingOnLock(1);
            Future<?> stopping = pool.submit(herald::stop);
            Thread.sleep(1_000);
            lock.commit();

            Api.Response answer = inFlight.get(30, TimeUnit.SECONDS);
            stopping.get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        } finally {
            pool.shutdownNow();
        }
        try (Connection db = herald.db(); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM notification WHERE title = 'in flight'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
