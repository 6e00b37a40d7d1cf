-- Shared by every workload: a JSON summary line that bench/run.py parses.
local M = {}

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

-- A workload over many keys: each thread builds every request once, then draws one at random
-- per call. Formatting a request per call would cost wrk CPU the service under test shares.
-- Returns wrk's init and request functions.
function M.draw_from(count, build)
  local requests = {}
  local function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
    for key = 1, count do
      requests[key] = build(key)
    end
  end
  local function request()
    return requests[math.random(1, count)]
  end
  return init, request
end

return M
