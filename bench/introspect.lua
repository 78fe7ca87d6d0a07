-- wrk: POST /oauth/introspect, the caller's key in HTTP Basic (client_secret_basic), the token in the form body.
wrk.method = "POST"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BENCH_CLIENT")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "token=" .. os.getenv("BENCH_TOKEN")
