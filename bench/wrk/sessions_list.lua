-- GET the sessions list (first page) of a user who has BENCH_SESSIONS sessions.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local headers = {["Authorization"] = "Bearer " .. os.getenv("BENCH_LIST_TOKEN")}

function request()
  return wrk.format("GET", "/api/training/roleplay/sessions?limit=10&offset=0", headers)
end

done = common.done
