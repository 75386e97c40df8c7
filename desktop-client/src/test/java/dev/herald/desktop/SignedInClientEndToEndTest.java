package dev.herald.desktop;

import static dev.herald.desktop.ClientUnderTest.onFx;
import static dev.herald.desktop.ClientUnderTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.desktop.net.ConnectionState;
import dev.herald.desktop.net.Notification;
import dev.herald.desktop.toast.Toast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real Herald server and PostgreSQL, driven through its windows like a user would. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignedInClientEndToEndTest {

    @TempDir
    static Path temp;
    static HeraldServer server;
    static ClientUnderTest client;

    @BeforeAll
    static void startServerAndClient() throws Exception {
        server = HeraldServer.startedWithUser(temp.resolve("server"), "alice", "alice-password", Map.of());
        client = new ClientUnderTest().start(temp.resolve("config"), server.uri().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        ClientUnderTest.stopAll(client, server);
    }

    @Test
    @Order(1)
    void signsInWithPasswordAndKeepsTokensOwnerOnly() throws Exception {
        client.signIn("alice", "alice-password");
        waitUntil(() -> client.shell.current().feed().stateProperty().get() instanceof ConnectionState.Connected);
        Path sessionFile = temp.resolve("config/session.json");
        assertThat(sessionFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sessionFile))).isEqualTo("rw-------");
        assertThat(Files.readString(sessionFile)).contains("alice").contains("refreshToken");
        assertThat(client.robot.lookup("#center-status").queryAs(Label.class).getText()).contains("Connected");
    }

    @Test
    @Order(2)
    void publishedNotificationShowsAToastAndABoldRow() throws Exception {
        server.publish("alice", "Milk expires tomorrow", "The milk in the fridge expires on Friday", 4);
        waitUntil(() -> client.robot.lookup("#toast-title").queryAllAs(Label.class).stream()
                .anyMatch(label -> label.getText().equals("Milk expires tomorrow")));
        waitUntil(() -> client.rowTitle("Milk expires tomorrow") != null);
        assertThat(ClientUnderTest.bold(onFx(() -> client.rowTitle("Milk expires tomorrow")))).isTrue();
        assertThat(onFx(() -> client.shell.current().store().unreadCount())).isEqualTo(1);
        assertThat(client.robot.lookup("#toast-priority").queryAs(Label.class).getText()).isEqualTo("High");
    }

    @Test
    @Order(3)
    void markReadOnTheToastMarksItReadOnTheServerAndTheRowTurnsPlain() throws Exception {
        String id = onFx(() -> client.shell.current().store().items().getFirst().id().toString());
        client.robot.clickOn("#toast-mark-read");
        String token = server.login("alice", "alice-password");
        WaitUntilServer.readAtSet(server, token, id);
        waitUntil(() -> !ClientUnderTest.bold(client.rowTitle("Milk expires tomorrow")));
        assertThat(onFx(() -> client.shell.current().toasts().toasts())).isEmpty();
        assertThat(onFx(() -> client.shell.current().store().unreadCount())).isZero();
    }

    @Test
    @Order(4)
    void markingReadThroughRestElsewhereUpdatesTheClient() throws Exception {
        JsonNode published = server.publish("alice", "Package delivered", "At the front door", 3);
        String id = published.path("id").asText();
        waitUntil(() -> client.rowTitle("Package delivered") != null && ClientUnderTest.bold(client.rowTitle("Package delivered")));
        waitUntil(() -> client.shell.current().toasts().toasts().stream()
                .anyMatch(t -> t instanceof Toast.Single s && s.notification().id().equals(UUID.fromString(id))));

        server.markRead(server.login("alice", "alice-password"), id);

        waitUntil(() -> !ClientUnderTest.bold(client.rowTitle("Package delivered")));
        waitUntil(() -> client.shell.current().store().unreadCount() == 0);
        // Its toast has nothing left to say once it was read elsewhere.
        assertThat(onFx(() -> client.shell.current().toasts().toasts())).isEmpty();
    }

    @Test
    @Order(5)
    void clickingAToastOpensTheCenterAtThatNotification() throws Exception {
        onFx(() -> {
            client.shell.current().centerView().close();
            return null;
        });
        JsonNode published = server.publish("alice", "Door left open", "The garage door is open", 3);
        waitUntil(() -> client.robot.lookup("#toast-title").queryAllAs(Label.class).stream()
                .anyMatch(label -> label.getText().equals("Door left open")));
        client.robot.clickOn("Door left open");
        waitUntil(() -> client.shell.current().centerView().stage().isShowing());
        ListView<?> list = client.robot.lookup("#center-list").queryAs(ListView.class);
        waitUntil(() -> list.getSelectionModel().getSelectedItem() instanceof Notification selected
                && selected.id().toString().equals(published.path("id").asText()));
        assertThat(onFx(() -> client.shell.current().toasts().toasts())).isEmpty();
    }

    @Test
    @Order(6)
    void signOutFromTheTrayRevokesTheRefreshToken() throws Exception {
        Path sessionFile = temp.resolve("config/session.json");
        String refreshToken = new ObjectMapper().readTree(sessionFile.toFile()).path("refreshToken").asText();
        client.robot.clickOn("#tray-menu");
        client.robot.clickOn("Sign out");
        waitUntil(() -> client.shell.current() == null && client.shell.primary().isShowing());
        assertThat(sessionFile).doesNotExist();
        assertThatThrownBy(() -> server.post("/api/auth/refresh", null, Map.of("refresh_token", refreshToken)))
                .hasMessageContaining("401");
        assertThat(client.robot.lookup("#signin-submit").tryQuery()).isPresent();
    }

    @Test
    @Order(7)
    void signsInByQrPairingWhenThePhoneScansTheCode() throws Exception {
        client.robot.clickOn("QR code");
        waitUntil(() -> !client.robot.lookup("#signin-qr-token").queryAs(TextField.class).getText().isEmpty());
        assertThat(client.robot.lookup("#signin-qr").queryAs(ImageView.class).getImage()).isNotNull();
        String qrToken = onFx(() -> client.robot.lookup("#signin-qr-token").queryAs(TextField.class).getText());

        String phone = server.login("alice", "alice-password");
        server.post("/api/pairings/scan", phone, Map.of("qrToken", qrToken));

        waitUntil(() -> client.shell.current() != null
                && client.shell.current().feed().stateProperty().get() instanceof ConnectionState.Connected);
        assertThat(client.shell.current().session().username()).isEqualTo("alice");
        // History of the earlier sign-in is there, read state included.
        waitUntil(() -> client.shell.current().store().items().size() == 3);
        server.publish("alice", "After pairing", "Live on the paired session", 5);
        waitUntil(() -> client.rowTitle("After pairing") != null && ClientUnderTest.bold(client.rowTitle("After pairing")));
    }
}
