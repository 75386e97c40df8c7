package dev.herald.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What crosses nodes: ids and cursors, never bodies (NOTIFY payloads must stay under 8,000 bytes, and
 * the database has the bodies). Each event is one line of text:
 * <pre>
 *   p &lt;userId&gt; &lt;seq&gt;        the user's notifications up to seq are committed
 *   r &lt;userId&gt; &lt;id&gt;,&lt;id&gt;… these were marked read
 *   a &lt;userId&gt; &lt;upTo&gt;       all up to upTo were marked read
 *   t &lt;topic&gt; &lt;seq&gt;         the topic's message seq is committed
 * </pre>
 */
sealed interface FanoutEvent {

    String line();

    record Published(long userId, long seq) implements FanoutEvent {
        @Override
        public String line() {
            return "p " + userId + " " + seq;
        }
    }

    record Read(long userId, List<UUID> ids) implements FanoutEvent {
        @Override
        public String line() {
            return "r " + userId + " " + String.join(",", ids.stream().map(UUID::toString).toList());
        }
    }

    record AllRead(long userId, long upTo) implements FanoutEvent {
        @Override
        public String line() {
            return "a " + userId + " " + upTo;
        }
    }

    record TopicPublished(String topic, long seq) implements FanoutEvent {
        @Override
        public String line() {
            return "t " + topic + " " + seq;
        }
    }

    /** Parses one line; empty for anything malformed (a newer node's event, say), which is skipped. */
    static Optional<FanoutEvent> parse(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            if (parts[0].equals("t")) {
                return Optional.of(new TopicPublished(parts[1], Long.parseLong(parts[2])));
            }
            long userId = Long.parseLong(parts[1]);
            return switch (parts[0]) {
                case "p" -> Optional.of(new Published(userId, Long.parseLong(parts[2])));
                case "a" -> Optional.of(new AllRead(userId, Long.parseLong(parts[2])));
                case "r" -> {
                    List<UUID> ids = new ArrayList<>();
                    for (String id : parts[2].split(",")) {
                        ids.add(UUID.fromString(id));
                    }
                    yield Optional.of(new Read(userId, ids));
                }
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Read events with many ids are cut into pieces that each fit a payload. */
    static List<FanoutEvent> splitToFit(FanoutEvent event, int maxIds) {
        if (!(event instanceof Read(long userId, List<UUID> ids)) || ids.size() <= maxIds) {
            return List.of(event);
        }
        List<FanoutEvent> pieces = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += maxIds) {
            pieces.add(new Read(userId, ids.subList(from, Math.min(ids.size(), from + maxIds))));
        }
        return pieces;
    }
}
