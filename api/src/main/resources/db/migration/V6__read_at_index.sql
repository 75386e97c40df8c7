-- A node that could not hear the others for a while (its fan-out connection dropped) asks which of its
-- users' notifications were read meanwhile, to tell their devices: a range of recent read_at. Rows never
-- read are left out, so inserting a notification costs this index nothing; marking one read adds an entry.
CREATE INDEX notification_read_at_idx ON notification (read_at) WHERE read_at IS NOT NULL;
