-- The upsert the service runs for POST /chat-state-sessions with history off (one statement,
-- one round trip): an expired record is re-created (version 1) instead of updated.
\set k random(1, :keys)
INSERT INTO chat_state_sessions AS c
    (session_id, user_session_id, chat_state, chat_state_data, codec, key_id, last_activity,
     created_at, updated_at, version, expires_at)
VALUES (gen_random_uuid(), 'bench-' || :k, ':state', NULL, NULL, NULL, now(), now(), now(), 1,
        NULL)
ON CONFLICT (user_session_id) DO UPDATE
    SET chat_state = excluded.chat_state, chat_state_data = excluded.chat_state_data,
        codec = excluded.codec, key_id = excluded.key_id,
        last_activity = excluded.last_activity, updated_at = excluded.updated_at,
        expires_at = excluded.expires_at,
        version = CASE WHEN c.expires_at IS NOT NULL AND c.expires_at <= excluded.updated_at
                       THEN 1 ELSE c.version + 1 END,
        session_id = CASE WHEN c.expires_at IS NOT NULL AND c.expires_at <= excluded.updated_at
                          THEN excluded.session_id ELSE c.session_id END,
        created_at = CASE WHEN c.expires_at IS NOT NULL AND c.expires_at <= excluded.updated_at
                          THEN excluded.created_at ELSE c.created_at END
RETURNING session_id, user_session_id, chat_state, chat_state_data, codec, key_id,
          last_activity, created_at, updated_at, version, expires_at;
