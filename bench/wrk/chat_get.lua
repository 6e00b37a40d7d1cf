-- GET /chat-state-sessions/{id} over BENCH_KEYS pre-filled keys.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local keys = tonumber(os.getenv("BENCH_KEYS") or "10000")
local requests = {}

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  -- Built once per thread: formatting a request per call would cost wrk more CPU than the
  -- lookup it measures, CPU the service under test shares.
  for key = 1, keys do
    requests[key] = wrk.format("GET", "/chat-state-sessions/bench-" .. key)
  end
end

function request()
  return requests[math.random(1, keys)]
end

done = common.done
