-- QR device pairing: a device without a keyboard shows a QR code, a signed-in phone scans it, and the
-- device receives tokens of its own for the phone's user.

-- A sign-in (refresh-token family) started by pairing carries the device's label; NULL for a password
-- sign-in. Every token rotated from it keeps the label, so any row tells what kind of sign-in it is.
ALTER TABLE refresh_token ADD COLUMN device_label text;

-- Kept in the database, not in memory, so the scan may reach one replica and the device's event stream
-- another. The QR code holds a one-time code, never the pairing id (a photo of the screen must not open the
-- device's stream); only the code's SHA-256 is kept. The tokens themselves are never stored here.
CREATE TABLE pairing (
    id           uuid PRIMARY KEY,            -- random (v4): whoever knows it may listen for the tokens
    code_hash    bytea       NOT NULL,
    device_label text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- until then the QR code may be scanned; a scan moves it on, giving the device as long to collect
    expires_at   timestamptz NOT NULL,
    claimed_by   bigint REFERENCES app_user (id) ON DELETE CASCADE,
    claimed_at   timestamptz,
    -- set by the one stream that issued the tokens: they are issued exactly once
    completed_at timestamptz,
    CONSTRAINT pairing_completed_after_claim CHECK (completed_at IS NULL OR claimed_by IS NOT NULL)
);
CREATE UNIQUE INDEX pairing_code_hash_key ON pairing (code_hash);
-- Expired pairings are deleted whenever a new one is created.
CREATE INDEX pairing_expires_idx ON pairing (expires_at);
