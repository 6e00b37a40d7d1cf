-- A trainee's whole session: POST start, then five POST message, then start again.
-- Run with one connection per wrk thread (-t N -c N): the state machine is per thread.
package.path = package.path .. ";" .. os.getenv("BENCH_DIR") .. "/wrk/?.lua"
local common = require("common")
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
}
local start_body = '{"scenarioId": "homeowner_objection", "scenarioTitle": "Handling Price Objections", "difficulty": "PRO"}'
local messages = {
  "I completely understand, price matters. What are you comparing it to?",
  "That makes sense. What does your electric bill look like in the summer?",
  "Most neighbours on this street cut their bill by about a third; would that help your budget?",
  "No pressure at all. Could we look at the numbers together on Thursday?",
  "Thanks for your time. I'll bring the savings estimate on Thursday at six.",
}
local session = nil
local step = 0

function request()
  if session == nil then
    return wrk.format("POST", "/api/training/roleplay/start", headers, start_body)
  end
  step = step + 1
  local body = '{"message": "' .. messages[step] .. '"}'
  return wrk.format("POST", "/api/training/roleplay/" .. session .. "/message", headers, body)
end

function response(status, hdrs, body)
  if session == nil then
    session = body:match('"sessionId"%s*:%s*"([%w_%-]+)"')
    step = 0
  elseif step >= 5 or status ~= 200 then
    session = nil
  end
end

done = common.done
