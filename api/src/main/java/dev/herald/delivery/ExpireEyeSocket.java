package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.Credentials;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketPongMessage;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code GET /api/ws/notification?access_token=<jwt>}: the ExpireEye dialect on the same delivery core.
 * That API accepted the upgrade and then closed with 1008 when the token was missing, and its clients
 * expect exactly that, so the upgrade is open to anyone and the credential is checked here.
 */
@ServerWebSocket("/api/ws/notification")
@Secured(SecurityRule.IS_ANONYMOUS)
final class ExpireEyeSocket {

    private static final String CONNECTION = "herald.connection";

    private final Connections connections;
    private final Credentials credentials;
    private final ExpireEyeProtocol protocol;
    private final ServerMessages messages;

    ExpireEyeSocket(Connections connections, Credentials credentials, ExpireEyeProtocol protocol,
                    ServerMessages messages) {
        this.connections = connections;
        this.credentials = credentials;
        this.protocol = protocol;
        this.messages = messages;
    }

    @OnOpen
    void open(WebSocketSession session, HttpRequest<?> request) {
        Optional<Credential> credential = request.getUserPrincipal(Authentication.class).flatMap(credentials::of);
        if (credential.isEmpty()) {
            session.close(new CloseReason(CloseCodes.POLICY,
                    presentedCredential(request) ? "Invalid or expired access token" : "Access token required"));
            return;
        }
        Long since = null;
        Optional<String> sinceParameter = request.getParameters().getFirst("since");
        if (sinceParameter.isPresent()) {
            since = Connections.parseSince(sinceParameter.get());
            if (since == null) {
                session.close(new CloseReason(CloseCodes.POLICY, "since must be a seq of 0 or more"));
                return;
            }
        }
        session.put(CONNECTION, connections.open(new ExpireEyeTransport(session, messages), credential.get(), since));
        UpgradeRequest.release(request);
    }

    @OnMessage(maxPayloadLength = 65536)
    void message(String text, WebSocketSession session) {
        connectionOf(session).ifPresent(connection -> protocol.onText(connection, text));
    }

    @OnMessage
    void pong(WebSocketPongMessage pong, WebSocketSession session) {
        connectionOf(session).ifPresent(Connection::heard);
    }

    @OnClose
    void closed(WebSocketSession session) {
        connectionOf(session).ifPresent(Connection::transportClosed);
    }

    @OnError
    void failed(WebSocketSession session, Throwable error) {
        connectionOf(session).ifPresent(Connection::transportClosed);
    }

    private static boolean presentedCredential(HttpRequest<?> request) {
        return request.getHeaders().contains(HttpHeaders.AUTHORIZATION)
                || Stream.of("access_token", "token", "ticket").anyMatch(name -> request.getParameters().contains(name));
    }

    private static Optional<Connection> connectionOf(WebSocketSession session) {
        return session.get(CONNECTION, Connection.class);
    }
}
