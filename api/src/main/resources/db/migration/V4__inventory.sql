-- Household inventory: products, their owners' time zones, and the state of the expiry check.

-- A scheduler account may trigger the expiry check (POST /api/jobs/expiry-check) and nothing else.
ALTER TABLE app_user DROP CONSTRAINT app_user_roles_known;
ALTER TABLE app_user ADD CONSTRAINT app_user_roles_known
    CHECK (roles <@ ARRAY['user', 'publisher', 'admin', 'scheduler']::text[]);

-- The zone in which an owner's date-only expiry dates end. No row means UTC. Product writes read it
-- FOR SHARE and a change takes the row exclusively, so a product is never resolved with a zone that is
-- being replaced (see UserTimeZones).
CREATE TABLE user_time_zone (
    user_id   bigint PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    time_zone text NOT NULL DEFAULT 'UTC'
);

CREATE TABLE product (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name                text        NOT NULL,
    quantity            integer     NOT NULL CHECK (quantity >= 0),
    notes               text,
    -- What the owner gave: a date (expiry_date set) or an instant (expiry_date null, expires_at set), or
    -- nothing (both null: the product never expires). expires_at is the resolved instant: for a date, the
    -- end of that day (next midnight) in the owner's zone.
    expiry_date         date,
    expires_at          timestamptz,
    source              text        NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'scan')),
    food                text,       -- the catalogue food a scan's label matched
    nutrition           jsonb,      -- that food's nutrition facts per 100 g
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- Expiry check state (see ExpiryCheck). warned_at: the expiring warning is done (sent, or skipped
    -- because the product had already expired); expired_notified_at: the expiration notice is done;
    -- claimed_until: a check is working on the row until then (a lapsed claim may be taken over).
    warned_at           timestamptz,
    expired_notified_at timestamptz,
    claimed_until       timestamptz,
    CONSTRAINT product_expiry_resolved CHECK (expiry_date IS NULL OR expires_at IS NOT NULL)
);

-- An owner's list, soonest expiry first.
CREATE INDEX product_owner_expiry_idx ON product (user_id, expires_at, id);

-- The expiry check's work queues. Each partial index holds only the products whose notice of that kind is
-- still to be done, ordered by expiry, so a run reads exactly the due rows (a range scan that ends at the
-- first product not yet due) however many products have been handled or lie far in the future:
--   expired:  WHERE expired_notified_at IS NULL AND expires_at <= now                 ORDER BY expires_at
--   expiring: WHERE warned_at IS NULL AND expires_at > now AND expires_at <= now + lead ORDER BY expires_at
CREATE INDEX product_expiration_due_idx ON product (expires_at)
    WHERE expired_notified_at IS NULL AND expires_at IS NOT NULL;
CREATE INDEX product_warning_due_idx ON product (expires_at)
    WHERE warned_at IS NULL AND expires_at IS NOT NULL;
