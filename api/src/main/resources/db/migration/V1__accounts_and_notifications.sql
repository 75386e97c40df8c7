-- Herald's schema. Flyway owns it; the schema name ("herald") comes from the configuration.

-- Accounts -------------------------------------------------------------------------------------------
CREATE TABLE app_user (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL,
    password_hash text        NOT NULL,
    roles         text[]      NOT NULL DEFAULT '{user}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT app_user_roles_known CHECK (roles <@ ARRAY['user', 'publisher', 'admin']::text[])
);
-- Usernames are unique regardless of case, and looked up that way at login.
CREATE UNIQUE INDEX app_user_username_key ON app_user (lower(username));

-- Refresh tokens are opaque random strings; only their SHA-256 is stored, so a database dump cannot be
-- replayed. Each use rotates the token inside its family; presenting a used token again revokes the
-- whole family (it means the token was stolen or a client is confused).
CREATE TABLE refresh_token (
    id          uuid PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    family_id   uuid        NOT NULL,
    token_hash  bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE UNIQUE INDEX refresh_token_hash_key ON refresh_token (token_hash);
CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
CREATE INDEX refresh_token_user_idx ON refresh_token (user_id);

-- Notifications --------------------------------------------------------------------------------------
-- The per-user cursor. Publishing increments last_seq in the inserting transaction; the row lock this
-- takes serialises publishers of one user (only of that user), so seq values are gap-free and follow
-- commit order.
CREATE TABLE notification_cursor (
    user_id  bigint PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL
);

CREATE TABLE notification (
    id              uuid PRIMARY KEY,             -- UUIDv7: time-ordered, so inserts stay at the index's right edge
    user_id         bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    seq             bigint      NOT NULL,
    type            text        NOT NULL,
    title           text        NOT NULL,
    message         text        NOT NULL,
    data            jsonb       NOT NULL DEFAULT '{}',
    priority        smallint    NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    tags            text[]      NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz,
    publisher_id    bigint,                       -- who published it; scopes idempotency keys
    idempotency_key text,
    request_hash    bytea                         -- SHA-256 of the canonical request, to tell a replay from a conflict
);

-- Every read path is "one user, ordered by seq", so (user_id, seq) carries them all with an index scan
-- that stops after LIMIT rows however many millions the table holds:
--   history newest first and the `before` cursor   WHERE user_id = ? AND seq < ?  ORDER BY seq DESC LIMIT n
--   the `after` cursor and every transport's resume WHERE user_id = ? AND seq > ?  ORDER BY seq LIMIT n
-- It is also the guarantee that a seq is never handed out twice.
CREATE UNIQUE INDEX notification_user_seq_key ON notification (user_id, seq);

-- Unread state: a partial index holds only unread rows, so the unread count, the `unread=true` filter and
-- mark-all-read cost O(unread) rather than O(history), and the index shrinks as users read.
CREATE INDEX notification_unread_idx ON notification (user_id, seq) WHERE read_at IS NULL;

-- The `type` filter pages by seq within one type without scanning the other types' rows.
CREATE INDEX notification_user_type_seq_idx ON notification (user_id, type, seq);

-- Idempotency: one key of one publisher names at most one notification per recipient.
CREATE UNIQUE INDEX notification_idempotency_key ON notification (publisher_id, idempotency_key, user_id)
    WHERE idempotency_key IS NOT NULL;
