-- wrk script: durable case creation. Each request reports a new case.
-- usage: wrk -s bench/create.lua ... (KEY in the environment: an API key)
wrk.method = "POST"
wrk.path = "/api/v1/cases"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Api-Key"] = os.getenv("KEY")
wrk.body = '{"category":"20102","nature":"complaint","channel":"hotline_12345",' ..
           '"description":"小区门口垃圾堆放三天无人清运，气味很大","address":"福保社区福保文化城3栋旁",' ..
           '"reporter_phone":"13888710004","lat":24.9512,"lon":102.7431}'

-- failed answers (4xx/5xx) show as non2xx in the RESULT line
dofile("bench/result.lua")
done = result_done("create")
