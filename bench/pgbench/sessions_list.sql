-- GET /api/training/roleplay/sessions: the token check, then one windowed page query.
SELECT id FROM revoked_tokens WHERE jti = 'bench-list';
SELECT id, session_id, scenario_id, scenario_title, difficulty, score, message_count,
       xp_earned, duration, created_at, completed_at, count(*) OVER () AS total
FROM roleplay_sessions WHERE user_id = :list_user
ORDER BY created_at DESC, id DESC LIMIT 10 OFFSET 0;
