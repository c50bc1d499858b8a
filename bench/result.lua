-- result.lua: the RESULT line every wrk script of bench/run.sh prints.
-- usage in a script: dofile("bench/result.lua"); done = result_done("create")
function result_done(name)
  return function(summary, latency, requests)
    io.write(string.format("RESULT %s req/s=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
      name, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, summary.errors.status, summary.errors.connect +
      summary.errors.read + summary.errors.write + summary.errors.timeout))
  end
end
