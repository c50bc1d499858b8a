-- wrk script: reads of one case by id, ids spread uniformly over 1..MAXID.
wrk.headers["X-Api-Key"] = os.getenv("KEY")
local maxid = tonumber(os.getenv("MAXID") or "1000")
local counter = 0
request = function()
  counter = counter + 1
  local id = (counter * 7919) % maxid + 1
  return wrk.format("GET", "/api/v1/cases/" .. id .. "")
end
function done(summary, latency, requests)
  io.write(string.format("RESULT read req/s=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
