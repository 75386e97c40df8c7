package dev.herald.delivery;

import dev.herald.notification.TopicService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an SSE client is: the seq up to which it has every notification and, for each topic it reads, that
 * topic's seq. It is the SSE event id, because a reconnecting EventSource sends back only the last id it saw
 * ({@code Last-Event-ID}) and repeats its first URL: whatever it must resume has to be in the id. Without
 * topics it is the seq alone, {@code 42}; with them, {@code 42 status=7 news=3} (a topic name has no
 * {@code =} and no space).
 */
record StreamPosition(long seq, Map<String, Long> topics) {

    StreamPosition {
        topics = Map.copyOf(topics);
    }

    /** The position a client sent, or empty when it is not one (each seq 0 or more, each topic name valid). */
    static Optional<StreamPosition> parse(String value) {
        String[] parts = value.strip().split(" +");
        Long seq = Connections.parseSince(parts[0]);
        if (seq == null) {
            return Optional.empty();
        }
        Map<String, Long> topics = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].lastIndexOf('=');
            String topic = equals > 0 ? parts[i].substring(0, equals) : "";
            Long topicSeq = equals > 0 ? Connections.parseSince(parts[i].substring(equals + 1)) : null;
            if (!TopicService.isValidName(topic) || topicSeq == null || topics.put(topic, topicSeq) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(new StreamPosition(seq, topics));
    }

    /** The id of an event after which the client has everything up to {@code seq} and {@code topics}. */
    static String id(long seq, Map<String, Long> topics) {
        if (topics.isEmpty()) {
            return Long.toString(seq);
        }
        StringBuilder id = new StringBuilder(16 + 24 * topics.size()).append(seq);
        topics.forEach((topic, topicSeq) -> id.append(' ').append(topic).append('=').append(topicSeq));
        return id.toString();
    }
}
