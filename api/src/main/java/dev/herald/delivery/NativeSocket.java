package dev.herald.delivery;

import dev.herald.auth.Credential;
import dev.herald.auth.Credentials;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import java.util.Optional;

/**
 * {@code GET /ws}: the native protocol. The upgrade is authenticated by Micronaut Security before it
 * completes (Authorization header, one-time ticket, or {@code ?token=}); a request without a valid
 * credential never gets a socket.
 */
@ServerWebSocket("/ws")
@Secured(SecurityRule.IS_AUTHENTICATED)
final class NativeSocket {

    private static final String CONNECTION = "herald.connection";

    private final Connections connections;
    private final Credentials credentials;
    private final NativeProtocol protocol;

    NativeSocket(Connections connections, Credentials credentials, NativeProtocol protocol) {
        this.connections = connections;
        this.credentials = credentials;
        this.protocol = protocol;
    }

    @OnOpen
    void open(WebSocketSession session, HttpRequest<?> request) {
        Optional<Credential> credential = request.getUserPrincipal(Authentication.class).flatMap(credentials::of);
        if (credential.isEmpty()) {
            session.close(new CloseReason(CloseCodes.UNAUTHORIZED, "Unauthorized"));
            return;
        }
        Optional<String> sinceParameter = request.getParameters().getFirst("since");
        Long since = null;
        if (sinceParameter.isPresent()) {
            since = Connections.parseSince(sinceParameter.get());
            if (since == null) {
                session.close(new CloseReason(CloseCodes.POLICY, "since must be a seq of 0 or more"));
                return;
            }
        }
        session.put(CONNECTION, connections.open(new WebSocketTransport(session), credential.get(), since));
        UpgradeRequest.release(request);
    }

    @OnMessage(maxPayloadLength = 65536)
    void message(String text, WebSocketSession session) {
        connectionOf(session).ifPresent(connection -> protocol.onText(connection, text));
    }

    @OnClose
    void closed(WebSocketSession session) {
        connectionOf(session).ifPresent(Connection::transportClosed);
    }

    @OnError
    void failed(WebSocketSession session, Throwable error) {
        connectionOf(session).ifPresent(Connection::transportClosed);
    }

    private static Optional<Connection> connectionOf(WebSocketSession session) {
        return session.get(CONNECTION, Connection.class);
    }
}
