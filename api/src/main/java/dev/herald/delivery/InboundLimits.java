package dev.herald.delivery;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * The limits every client message passes before it is read, whatever the dialect: frame size and rate.
 * Oversized frames close the connection (1009); a client over the rate gets an {@code error}, and one
 * that keeps flooding is closed (1008).
 */
@Singleton
final class InboundLimits {

    private final ServerMessages messages;
    private final DeliveryConfig config;

    InboundLimits(ServerMessages messages, DeliveryConfig config) {
        this.messages = messages;
        this.config = config;
    }

    /** True when the message may be handled; otherwise the connection was told or closed. */
    boolean admit(Connection connection, String text) {
        connection.heard();
        if (utf8Length(text) > config.maxFrameBytes()) {
            connection.closeAfterFlush(CloseCodes.TOO_BIG, "Frame too large");
            return false;
        }
        return switch (connection.admitInbound(System.nanoTime())) {
            case CLOSE -> {
                connection.closeAfterFlush(CloseCodes.POLICY, "Too many messages");
                yield false;
            }
            case REFUSE -> {
                connection.send(messages.error("rate_limited",
                        "More than " + config.maxInboundPerSecond() + " messages a second; this one was ignored"));
                yield false;
            }
            case ACCEPT -> true;
        };
    }

    /** A UTF-8 char takes at most 3 bytes, so short texts need no encoding to be measured. */
    private int utf8Length(String text) {
        return text.length() * 3L <= config.maxFrameBytes() ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
