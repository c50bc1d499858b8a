-- wrk script: durable case creation. Each request reports a new case.
-- usage: wrk -s bench/create.lua ... (KEY in the environment: an API key)
wrk.method = "POST"
wrk.path = "/api/v1/cases"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Api-Key"] = os.getenv("KEY")
wrk.body = '{"category":"20102","nature":"complaint","channel":"hotline_12345",' ..
           '"description":"小区门口垃圾堆放三天无人清运，气味很大","address":"福保社区福保文化城3栋旁",' ..
           '"reporter_phone":"13888710004","lat":24.9512,"lon":102.7431}'

-- count non-201 answers so a failing run cannot pass as fast
local bad = 0
function response(status, headers, body)
  if status ~= 201 then bad = bad + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("RESULT create req/s=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
