-- GET /chat-state-sessions/{id}: one indexed SELECT.
\set k random(1, :keys)
SELECT chat_state, last_activity, version, updated_at
FROM chat_state_sessions WHERE user_session_id = 'bench-' || :k;
