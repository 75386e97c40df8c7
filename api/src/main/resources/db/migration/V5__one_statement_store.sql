-- Herald stores notifications with one statement that commits on its own (NotificationRepository.store):
-- it reserves seqs on notification_cursor and inserts the rows, so the cursor row locks are held only
-- while PostgreSQL inserts and flushes the commit, never across a round trip to Herald. When that statement
-- finds it must not commit, it calls this, which rolls it back with a code Herald knows.
CREATE FUNCTION require_stored(inserted bigint, expected bigint, unknown_required bigint) RETURNS boolean
    LANGUAGE plpgsql AS
$$
BEGIN
    IF inserted <> expected THEN
        RAISE EXCEPTION 'an idempotency key was taken by a concurrent request: % of % rows could be stored',
            inserted, expected USING ERRCODE = 'HR001';
    END IF;
    IF unknown_required > 0 THEN
        RAISE EXCEPTION '% required recipients name no user', unknown_required USING ERRCODE = 'HR002';
    END IF;
    RETURN true;
END
$$;
