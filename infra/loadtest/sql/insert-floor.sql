-- What PostgreSQL alone takes to store notifications the way Herald does, without Herald: per transaction,
-- reserve the next seq of 100 random users (of the first 2,000) and insert one notification row for each,
-- with every index and foreign key of herald.notification. Run against the benchmark database after a
-- scenario has created its users:
--   pgbench -h 127.0.0.1 -U postgres -n -c 1 -T 15 -f infra/loadtest/sql/insert-floor.sql herald_bench
--   pgbench -h 127.0.0.1 -U postgres -n -c 8 -j 2 -T 15 -f infra/loadtest/sql/insert-floor.sql herald_bench
-- Rows per second = tps x 100 (a few draws repeat a user). It leaves its rows behind (type 'bench').
BEGIN;
WITH reserved AS (
    INSERT INTO herald.notification_cursor (user_id, last_seq)
    SELECT user_id, 1
    FROM (SELECT DISTINCT (random() * 1999)::int + (SELECT min(id) FROM herald.app_user) AS user_id
          FROM generate_series(1, 100)) picked
    ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET last_seq = herald.notification_cursor.last_seq + 1
    RETURNING user_id, last_seq)
INSERT INTO herald.notification (id, user_id, seq, type, title, message, data, priority, tags)
SELECT gen_random_uuid(), user_id, last_seq, 'bench', 'title', 'message', '{"t": 1}', 3, '{}'
FROM reserved;
COMMIT;
