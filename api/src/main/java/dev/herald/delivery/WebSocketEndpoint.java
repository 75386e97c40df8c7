package dev.herald.delivery;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One WebSocket endpoint Herald handshakes itself ({@link WebSocketHandshake}).
 *
 * @param path             the request path, without query
 * @param closesAnonymous  false: a request without a valid credential is refused with 401 and never gets a
 *                         socket; true: it gets a socket that is closed at once with 1008 and a reason (what
 *                         clients of the ExpireEye API expect)
 * @param transports       how the dialect frames messages on an open socket
 * @param protocol         what it does with a client's text message
 */
record WebSocketEndpoint(String path, boolean closesAnonymous, Function<WebSocketChannel, Transport> transports,
                         BiConsumer<Connection, String> protocol) {

    /** Whether a request URI (path and query) is for this endpoint. */
    boolean matches(String uri) {
        return uri.startsWith(path) && (uri.length() == path.length() || uri.charAt(path.length()) == '?');
    }
}
