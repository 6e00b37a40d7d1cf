-- GET /chat-state-sessions/{id} over BENCH_KEYS pre-filled keys.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local keys = tonumber(os.getenv("BENCH_KEYS") or "10000")

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", "/chat-state-sessions/bench-" .. math.random(1, keys))
end

done = common.done
