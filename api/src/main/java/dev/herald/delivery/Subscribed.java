package dev.herald.delivery;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The payload of {@code subscribed}: the topic's backlog after {@code from} went out, and the connection has
 * the topic's messages up to {@code cursor}; live messages follow. A type of its own, so that the transports
 * that track positions (SSE's ids, a topic poll's cursor) read it without parsing.
 */
@Serdeable
record Subscribed(String topic, long from, long cursor) {
}
