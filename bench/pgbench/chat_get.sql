-- GET /chat-state-sessions/{id}: one indexed SELECT of a live (unexpired) record.
\set k random(1, :keys)
SELECT chat_state, chat_state_data, codec, key_id, last_activity, version, updated_at, expires_at
FROM chat_state_sessions
WHERE user_session_id = 'bench-' || :k AND (expires_at IS NULL OR expires_at > now());
