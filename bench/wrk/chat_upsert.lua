-- POST /chat-state-sessions: a 2 KB chat_state upserted over BENCH_KEYS keys.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local keys = tonumber(os.getenv("BENCH_KEYS") or "10000")
local state = os.getenv("BENCH_CHAT_STATE_JSON")  -- already JSON-escaped string literal
local headers = {["Content-Type"] = "application/json"}

init, request = common.draw_from(keys, function(key)
  local body = '{"user_session_id": "bench-' .. key .. '", "chat_state": ' .. state .. '}'
  return wrk.format("POST", "/chat-state-sessions", headers, body)
end)

done = common.done
