-- Topics: a message stored once for every subscriber, however many there are. A broadcast as notifications
-- writes a row per user (about a second for 19,000 users on two cores); a topic message is one row.
-- Subscribers resume from the topic's own cursor, which, like a user's, is gap-free and in commit order:
-- the topic row's lock serialises its publishers (only that topic's). Topic messages have no per-user read
-- state and are readable by every signed-in user.
CREATE TABLE topic (
    name     text PRIMARY KEY,
    last_seq bigint NOT NULL
);

CREATE TABLE topic_message (
    topic           text        NOT NULL REFERENCES topic (name),
    seq             bigint      NOT NULL,
    id              uuid        NOT NULL UNIQUE,
    type            text        NOT NULL,
    title           text        NOT NULL,
    message         text        NOT NULL,
    data            jsonb       NOT NULL DEFAULT '{}',
    priority        smallint    NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    tags            text[]      NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    publisher_id    bigint      NOT NULL,
    idempotency_key text,
    request_hash    bytea,
    -- Every read is "one topic, ordered by seq": history pages, resumes.
    PRIMARY KEY (topic, seq)
);

-- Idempotency: one key of one publisher names at most one message per topic.
CREATE UNIQUE INDEX topic_message_idempotency_key ON topic_message (topic, publisher_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
