-- POST /chat-state-sessions: a chat_state upserted over BENCH_KEYS keys named
-- BENCH_KEY_PREFIX<n>. The state is BENCH_CHAT_STATE_JSON (a JSON string literal), or the
-- contents of BENCH_CHAT_STATE_FILE when set (a 200 KB state does not fit in the environment).
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local keys = tonumber(os.getenv("BENCH_KEYS") or "10000")
local prefix = os.getenv("BENCH_KEY_PREFIX") or "bench-"
local state = os.getenv("BENCH_CHAT_STATE_JSON")  -- already JSON-escaped string literal
local file = os.getenv("BENCH_CHAT_STATE_FILE")
if file and file ~= "" then
  local handle = assert(io.open(file, "r"))
  state = handle:read("*a")
  handle:close()
end
local headers = {["Content-Type"] = "application/json"}

init, request = common.draw_from(keys, function(key)
  local body = '{"user_session_id": "' .. prefix .. key .. '", "chat_state": ' .. state .. '}'
  return wrk.format("POST", "/chat-state-sessions", headers, body)
end)

done = common.done
