-- wrk script: reads of one case by id, ids spread uniformly over 1..MAXID.
wrk.headers["X-Api-Key"] = os.getenv("KEY")
local maxid = tonumber(os.getenv("MAXID") or "1000")
local counter = 0
request = function()
  counter = counter + 1
  local id = (counter * 7919) % maxid + 1
  return wrk.format("GET", "/api/v1/cases/" .. id .. "")
end
dofile("bench/result.lua")
done = result_done("read")
