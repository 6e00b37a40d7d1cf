-- GET /healthz: no database, no token. What any route costs here before it does any work.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")

wrk.method = "GET"
wrk.path = "/healthz"

done = common.done
