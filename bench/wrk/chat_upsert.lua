-- POST /chat-state-sessions: a 2 KB chat_state upserted over BENCH_KEYS keys.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local keys = tonumber(os.getenv("BENCH_KEYS") or "10000")
local state = os.getenv("BENCH_CHAT_STATE_JSON")  -- already JSON-escaped string literal
local headers = {["Content-Type"] = "application/json"}
local requests = {}

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  -- Built once per thread (see chat_get.lua): wrk's CPU is the service's CPU here.
  for key = 1, keys do
    local body = '{"user_session_id": "bench-' .. key .. '", "chat_state": ' .. state .. '}'
    requests[key] = wrk.format("POST", "/chat-state-sessions", headers, body)
  end
end

function request()
  return requests[math.random(1, keys)]
end

done = common.done
