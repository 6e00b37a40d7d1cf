-- One trainee session as the service runs it: each request checks the token's revocation,
-- start inserts the session, and each of five messages locks, reads and rewrites the row.
\set n random(1, 1000000000)
SELECT id FROM revoked_tokens WHERE jti = 'bench-' || :n;
INSERT INTO roleplay_sessions (session_id, user_id, scenario_id, scenario_title, difficulty,
    messages, score, duration, xp_earned, coach_engine, rubric_version, version, created_at)
VALUES ('session_bench_' || :n || '_' || :client_id, :bench_user, 'homeowner_objection', 'Price',
    'PRO', '[]', 0, 0, 0, 'rules', '1', 1, now());
SELECT id FROM revoked_tokens WHERE jti = 'bench-' || :n;
BEGIN;
SELECT * FROM roleplay_sessions WHERE session_id = 'session_bench_' || :n || '_' || :client_id FOR UPDATE;
UPDATE roleplay_sessions SET messages = messages || '[{"role": "user", "content": "message one"}, {"role": "assistant", "content": "reply one"}]'::jsonb, score = score + 10, version = version + 1 WHERE session_id = 'session_bench_' || :n || '_' || :client_id;
COMMIT;
SELECT id FROM revoked_tokens WHERE jti = 'bench-' || :n;
BEGIN;
SELECT * FROM roleplay_sessions WHERE session_id = 'session_bench_' || :n || '_' || :client_id FOR UPDATE;
UPDATE roleplay_sessions SET messages = messages || '[{"role": "user", "content": "message two"}, {"role": "assistant", "content": "reply two"}]'::jsonb, score = score + 10, version = version + 1 WHERE session_id = 'session_bench_' || :n || '_' || :client_id;
COMMIT;
SELECT id FROM revoked_tokens WHERE jti = 'bench-' || :n;
BEGIN;
SELECT * FROM roleplay_sessions WHERE session_id = 'session_bench_' || :n || '_' || :client_id FOR UPDATE;
UPDATE roleplay_sessions SET messages = messages || '[{"role": "user", "content": "message three"}, {"role": "assistant", "content": "reply three"}]'::jsonb, score = score + 10, version = version + 1 WHERE session_id = 'session_bench_' || :n || '_' || :client_id;
COMMIT;
SELECT id FROM revoked_tokens WHERE jti = 'bench-' || :n;
BEGIN;
SELECT * FROM roleplay_sessions WHERE session_id = 'session_bench_' || :n || '_' || :client_id FOR UPDATE;
UPDATE roleplay_sessions SET messages = messages || '[{"role": "user", "content": "message four"}, {"role": "assistant", "content": "reply four"}]'::jsonb, score = score + 10, version = version + 1 WHERE session_id = 'session_bench_' || :n || '_' || :client_id;
COMMIT;
SELECT id FROM revoked_tokens WHERE jti = 'bench-' || :n;
BEGIN;
SELECT * FROM roleplay_sessions WHERE session_id = 'session_bench_' || :n || '_' || :client_id FOR UPDATE;
UPDATE roleplay_sessions SET messages = messages || '[{"role": "user", "content": "message five"}, {"role": "assistant", "content": "reply five"}]'::jsonb, score = score + 10, version = version + 1, completed_at = now(), feedback = '{"strengths": [], "improvements": [], "tips": []}' WHERE session_id = 'session_bench_' || :n || '_' || :client_id;
COMMIT;
