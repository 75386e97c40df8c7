package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPublisher;
import dev.herald.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Herald's own handshake and frame handling on {@code /ws} (it bypasses Micronaut's WebSocket layer), over
 * raw sockets where a WebSocket client would not send the request.
 */
class WebSocketHandshakeTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static TestPublisher publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "hs-");
    }

    @Test
    void plainGetIsToldToUpgradeWithAProblemAndTheConnectionIsClosed() throws IOException {
        String response = exchange("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 426 ").containsIgnoringCase("upgrade: websocket")
                .containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close").contains("\"status\":426");
    }

    @Test
    void postIsRefusedWith405() throws IOException {
        String response = exchange("POST /ws HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(response).startsWith("HTTP/1.1 405 ").containsIgnoringCase("allow: GET");
    }

    @Test
    void upgradeWithoutAKeyIsABadRequestEvenWithAValidToken() throws IOException {
        String token = api.login(publisher.newUser(), Api.PASSWORD);

        String response = exchange("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ").contains("\"status\":400");
    }

    @Test
    void unauthenticatedUpgradeIs401WithAChallenge() throws IOException {
        String response = exchange("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 401 ").containsIgnoringCase("www-authenticate: Bearer");
    }

    @Test
    void otherRequestsOnTheServerAreUnaffected() throws IOException {
        String response = exchange("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void pingFramesAreAnsweredWithPongFrames() {
        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");

            device.socket().sendPing(ByteBuffer.wrap(new byte[]{1, 2, 3})).join();
            device.socket().sendPing(ByteBuffer.wrap(new byte[]{4})).join();

            awaitTrue(() -> device.pongFrames() == 2);
        }
    }

    @Test
    void aMessageSentInFragmentsIsReadWhole() {
        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");

            device.socket().sendText("{\"type\":", false).join();
            device.socket().sendText("\"pi", false).join();
            device.socket().sendText("ng\"}", true).join();

            assertThat(device.next().get("type")).isEqualTo("pong");
        }
    }

    @Test
    void fragmentsAddingUpToMoreThanTheFrameLimitCloseWith1009() {
        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");

            device.socket().sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(40_000), false).join();
            device.socket().sendText("x".repeat(40_000) + "\"}", true);

            assertThat(device.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1009);
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");

            device.socket().sendBinary(ByteBuffer.wrap(new byte[]{'{', '}'}), true).join();

            assertThat(device.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1003);
        }
    }

    @Test
    void aClientsCloseIsAnsweredAndTheServerForgetsTheConnection() {
        WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD));
        long userId = ((Number) WsClient.payload(device.next("connected")).get("userId")).longValue();
        ConnectionRegistry registry = herald.bean(ConnectionRegistry.class);
        assertThat(registry.connectionsOf(userId)).hasSize(1);

        device.socket().sendClose(1000, "bye").join();

        assertThat(device.awaitClose(Duration.ofSeconds(5)).code()).as("the server's answering close").isEqualTo(1000);
        awaitTrue(() -> registry.connectionsOf(userId).isEmpty());
        device.close();
    }

    @Test
    void aServerCloseReachesTheClientAsItsCode() {
        String user = publisher.newUser();
        String token = api.login(user, Api.PASSWORD);

        try (WsClient device = WsClient.connect(api, "/ws?since=-1", Map.of("Authorization", "Bearer " + token))) {
            WsClient.Closed closed = device.awaitClose(Duration.ofSeconds(5));

            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("since");
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 5 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void onLinuxTheServersSocketsAreEpollChannels() {
        List<Class<?>> accepted = new CopyOnWriteArrayList<>();
        herald.bean(NettyServerCustomizer.Registry.class).register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                if (role == ChannelRole.CONNECTION) {
                    accepted.add(channel.getClass());
                }
                return this;
            }
        });

        try (WsClient device = WsClient.withToken(api, api.login(publisher.newUser(), Api.PASSWORD))) {
            device.next("connected");
        }

        assertThat(Epoll.isAvailable()).as("netty-transport-native-epoll loads").isTrue();
        assertThat(accepted).isNotEmpty().allMatch(EpollSocketChannel.class::equals);
    }

    /** Sends one raw HTTP/1.1 request and reads until the server closes the connection. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket(api.base().getHost(), api.base().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
