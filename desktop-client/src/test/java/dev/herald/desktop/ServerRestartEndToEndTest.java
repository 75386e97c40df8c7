package dev.herald.desktop;

import static dev.herald.desktop.ClientUnderTest.onFx;
import static dev.herald.desktop.ClientUnderTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.ConnectionEvents;
import dev.herald.desktop.net.ConnectionState;
import dev.herald.desktop.net.Notification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server restarts while the client's network is down (a sleeping laptop); notifications published
 * before, during and after all reach the client exactly once when it reconnects and resumes.
 */
class ServerRestartEndToEndTest {

    @TempDir
    static Path temp;
    static HeraldServer server;
    static NetworkCable cable;
    static ClientUnderTest client;

    @BeforeAll
    static void start() throws Exception {
        server = HeraldServer.startedWithUser(temp.resolve("server"), "bob", "bob-password", Map.of());
        cable = new NetworkCable(server.uri());
        cable.plugIn();
        client = new ClientUnderTest().start(temp.resolve("config"), cable.uri().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        ClientUnderTest.stopAll(client, cable, server);
    }

    @Test
    void everyNotificationIsShownExactlyOnceAfterARestartAndReconnect() throws Exception {
        client.signIn("bob", "bob-password");
        waitUntil(() -> client.shell.current().feed().stateProperty().get() instanceof ConnectionState.Connected);
        Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        client.shell.current().connection().addListener(new ConnectionEvents() {
            @Override
            public void notificationArrived(Notification notification) {
                deliveries.computeIfAbsent(notification.seq(), seq -> new AtomicInteger()).incrementAndGet();
            }
        });

        server.publish("bob", "before 1", "live", 3);
        waitUntil(() -> client.shell.current().store().items().size() == 1);

        cable.unplug();
        waitUntil(() -> client.shell.current().feed().stateProperty().get() instanceof ConnectionState.Reconnecting);
        server.stop();
        server.start();
        List<String> whileAway = List.of("away 1", "away 2", "away 3", "away 4", "away 5");
        for (String title : whileAway) {
            server.publish("bob", title, "published while the client was away", 3);
        }
        // Still unplugged: the client cannot have seen any of them yet.
        assertThat(client.storeItems()).extracting(Notification::title).containsExactly("before 1");

        cable.plugIn();
        waitUntil(() -> client.shell.current().store().items().size() == 6);
        server.publish("bob", "after 1", "live again", 3);
        waitUntil(() -> client.shell.current().store().items().size() == 7);
        ClientUnderTest.assertNever(() -> client.shell.current().store().items().size() != 7, Duration.ofSeconds(2));

        List<Notification> items = client.storeItems();
        assertThat(items).extracting(Notification::title)
                .containsExactly("after 1", "away 5", "away 4", "away 3", "away 2", "away 1", "before 1");
        Map<String, Long> perTitle = items.stream().collect(Collectors.groupingBy(Notification::title, Collectors.counting()));
        assertThat(perTitle.values()).containsOnly(1L);
        // The connection itself delivered each seq once (the store's own dedupe is not what saved us).
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(
                items.stream().map(Notification::seq).toList());
        assertThat(deliveries.values()).extracting(AtomicInteger::get).containsOnly(1);
        // The center shows each once, too.
        waitUntil(() -> client.rowTitle("away 3") != null);
        assertThat(onFx(() -> client.shell.current().center().visible().stream()
                .collect(Collectors.groupingBy(Notification::title, Collectors.counting())))
                .values()).containsOnly(1L);
        assertThat(onFx(() -> client.shell.current().store().unreadCount())).isEqualTo(7);
    }
}
