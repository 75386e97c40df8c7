-- The retention sweep deletes topic messages by age (herald.notification.topic-retention): an index on
-- created_at lets it find the oldest without reading every topic's messages.
CREATE INDEX topic_message_created_at_idx ON topic_message (created_at);
