-- One-time tickets for browsers, which cannot send an Authorization header when opening a WebSocket or
-- an EventSource. Stored here rather than in memory so that a ticket issued by one replica works on any
-- other. Only the SHA-256 of a ticket is kept; using it deletes the row, so a ticket works once.
CREATE TABLE ws_ticket (
    ticket_hash           bytea PRIMARY KEY,
    user_id               bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    expires_at            timestamptz NOT NULL,
    -- a connection opened with the ticket lives no longer than the token that asked for it
    credential_expires_at timestamptz NOT NULL
);
-- Expired tickets are swept by user when that user asks for a new one.
CREATE INDEX ws_ticket_user_idx ON ws_ticket (user_id);
