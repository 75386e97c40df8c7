package dev.herald.delivery;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.NettyHttpHeaders;

/**
 * Micronaut's WebSocket layer keeps the upgrade request for as long as the socket is open. Once Herald has
 * read the credential and the resume cursor from it, its headers (the bearer token among them) and its
 * attributes (the authentication with its claims, the route match) are only weight: about a quarter of an
 * idle connection's heap. The session keeps what Herald needs.
 */
final class UpgradeRequest {

    private UpgradeRequest() {
    }

    static void release(HttpRequest<?> request) {
        if (request.getHeaders() instanceof NettyHttpHeaders headers) {
            headers.getNettyHeaders().clear();
        }
        request.getAttributes().clear();
    }
}
