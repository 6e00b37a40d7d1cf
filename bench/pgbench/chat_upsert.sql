-- The upsert the service runs for POST /chat-state-sessions (one statement, one round trip).
\set k random(1, :keys)
INSERT INTO chat_state_sessions AS c
    (session_id, user_session_id, chat_state, last_activity, created_at, updated_at, version)
VALUES (gen_random_uuid(), 'bench-' || :k, ':state', now(), now(), now(), 1)
ON CONFLICT (user_session_id) DO UPDATE
    SET chat_state = excluded.chat_state, last_activity = excluded.last_activity,
        updated_at = excluded.updated_at, version = c.version + 1
RETURNING session_id, user_session_id, chat_state, last_activity, created_at, updated_at, version;
