-- GET /api/training/roleplay/sessions (first page of a user with 50 sessions).
SELECT id FROM revoked_tokens WHERE jti = 'bench-list';
SELECT count(*) FROM roleplay_sessions WHERE user_id = :list_user;
SELECT id, session_id, scenario_id, scenario_title, difficulty, score,
       jsonb_array_length(messages), xp_earned, duration, created_at, completed_at
FROM roleplay_sessions WHERE user_id = :list_user
ORDER BY created_at DESC LIMIT 10 OFFSET 0;
