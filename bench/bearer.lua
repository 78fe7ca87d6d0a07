-- wrk: GET with an access token.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
