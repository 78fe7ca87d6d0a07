-- wrk: POST /oauth/token with the key in the Authorization header (the documented form).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
