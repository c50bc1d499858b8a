-- wrk script: GET /api/v1/health (no sign-in, no database): the HTTP
-- stack's own ceiling on this machine, measured in the same run as the
-- case benchmarks so the case figures can be read as a ratio of it.
wrk.path = "/api/v1/health"
function done(summary, latency, requests)
  io.write(string.format("RESULT health req/s=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
