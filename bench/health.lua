-- wrk script: GET /api/v1/health (no sign-in, no database): the HTTP
-- stack's own ceiling on this machine, measured in the same run as the
-- case benchmarks so the case figures can be read as a ratio of it.
wrk.path = "/api/v1/health"
dofile("bench/result.lua")
done = result_done("health")
