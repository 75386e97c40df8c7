package dev.herald.delivery;

import dev.herald.notification.Notification;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The messages in the ExpireEye dialect, for existing clients of that API: flat JSON objects with an
 * upper-case {@code type}; notifications carry {@code id}, {@code type}, {@code message},
 * {@code productName}, {@code expiryDate} and {@code timestamp} at the top level, product scans come as
 * {@code Product_Scanned} with a {@code data} object. Keep-alive uses WebSocket ping frames, which every
 * client library answers by itself.
 */
final class ExpireEyeTransport implements Transport {

    /** The notification type that inventory scans are published with. */
    static final String SCAN_TYPE = "product_scanned";

    private static final CompletableFuture<Void> SKIPPED = CompletableFuture.completedFuture(null);

    private final WebSocketChannel socket;
    private final ServerMessages messages;

    ExpireEyeTransport(WebSocketChannel socket, ServerMessages messages) {
        this.socket = socket;
        this.messages = messages;
    }

    @Override
    public CompletableFuture<?> send(ServerMessage message, long position) {
        if (message == messages.ping()) {
            return socket.sendPing();
        }
        if (message == messages.pong()) {
            return socket.sendText("PONG");
        }
        return switch (message.type()) {
            case ServerMessage.NOTIFICATION -> socket.sendText(messages.json(flat((Notification) message.content())));
            case "connected" -> socket.sendText(messages.json(established(message)));
            case "replayed" -> SKIPPED; // ExpireEye clients have no notion of a backlog's end
            default -> socket.sendText(messages.json(renamed(message)));
        };
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    private static Map<String, Object> established(ServerMessage connected) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "CONNECTION_ESTABLISHED");
        frame.put("message", "Notification WebSocket connected");
        frame.putAll(asMap(connected.content()));
        return frame;
    }

    private static Map<String, Object> flat(Notification notification) {
        Map<String, Object> data = notification.data() == null ? Map.of() : notification.data();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("id", notification.id());
        if (SCAN_TYPE.equalsIgnoreCase(notification.type())) {
            frame.put("type", "Product_Scanned");
            frame.put("message", notification.message());
            frame.put("data", data);
        } else {
            frame.put("type", notification.type());
            frame.put("message", notification.message());
            frame.put("productName", data.get("productName"));
            frame.put("expiryDate", data.get("expiryDate"));
        }
        frame.put("timestamp", notification.createdAt());
        frame.put("title", notification.title());
        frame.put("seq", notification.seq());
        return frame;
    }

    /** Other messages keep their fields, under the dialect's upper-case type: error becomes ERROR. */
    private static Map<String, Object> renamed(ServerMessage message) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", message.type().toUpperCase(Locale.ROOT));
        frame.putAll(asMap(message.content()));
        return frame;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object content) {
        return content instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
