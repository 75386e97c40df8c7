package dev.herald.desktop;

import static dev.herald.desktop.ClientUnderTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.ConnectionEvents;
import dev.herald.desktop.net.ConnectionState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access tokens that live 15 seconds: the client refreshes them before they expire and hands the new one to
 * the open socket ({@code auth}), so the server never closes it with 4001 and it never reconnects.
 */
class TokenRenewalEndToEndTest {

    @TempDir
    static Path temp;
    static HeraldServer server;
    static ClientUnderTest client;

    @BeforeAll
    static void start() throws Exception {
        server = HeraldServer.startedWithUser(temp.resolve("server"), "carol", "carol-password",
                Map.of("HERALD_AUTH_ACCESS_TOKEN_TTL", "15s"));
        client = new ClientUnderTest().start(temp.resolve("config"), server.uri().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        ClientUnderTest.stopAll(client, server);
    }

    @Test
    void theSocketOutlivesSeveralAccessTokens() throws Exception {
        client.signIn("carol", "carol-password");
        waitUntil(() -> client.shell.current().feed().stateProperty().get() instanceof ConnectionState.Connected);
        List<ConnectionState> changes = new CopyOnWriteArrayList<>();
        client.shell.current().connection().addListener(new ConnectionEvents() {
            @Override
            public void stateChanged(ConnectionState state) {
                changes.add(state);
            }
        });
        String firstToken = client.shell.current().session().current();

        Thread.sleep(33_000);

        assertThat(client.shell.current().session().current()).isNotEqualTo(firstToken);
        assertThat(changes).as("the socket was never closed, so never reconnected").isEmpty();
        server.publish("carol", "Still here", "after two token lifetimes", 3);
        waitUntil(() -> client.rowTitle("Still here") != null);
    }
}
