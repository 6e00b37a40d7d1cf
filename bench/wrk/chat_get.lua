-- GET /chat-state-sessions/{id} over BENCH_KEYS pre-filled keys named BENCH_KEY_PREFIX<n>.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local keys = tonumber(os.getenv("BENCH_KEYS") or "10000")
local prefix = os.getenv("BENCH_KEY_PREFIX") or "bench-"

init, request = common.draw_from(keys, function(key)
  return wrk.format("GET", "/chat-state-sessions/" .. prefix .. key)
end)

done = common.done
