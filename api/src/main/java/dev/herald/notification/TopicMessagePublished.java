package dev.herald.notification;

/** Raised after the statement that stored the message committed; delivery to subscribers starts from here. */
public record TopicMessagePublished(TopicMessage message) {
}
