-- GET the sessions list (first page) of a user who has BENCH_SESSIONS sessions.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")

-- One fixed request: wrk sends it as is, with no Lua call per request.
wrk.method = "GET"
wrk.path = "/api/training/roleplay/sessions?limit=10&offset=0"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_LIST_TOKEN")

done = common.done
