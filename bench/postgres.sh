#!/usr/bin/env bash
# SQLite next to PostgreSQL, and two instances on one PostgreSQL, in one run on this machine:
#   - POST /oauth/token (RS256) and GET /v1/me per second on one instance, on each provider
#   - two instances on one PostgreSQL behind a local round-robin (nginx): the combined rate
#   - revocation propagation between the two: p50 and max over 100 revocations (bench/propagation.mjs)
# Starts its own PostgreSQL from Debian's binaries in a temp folder (installs postgresql, nginx and wrk if missing).
# Usage: bench/postgres.sh [seconds per wrk run, default 10]      (BENCH_WARMUP seconds first, default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
warmup=${BENCH_WARMUP:-15}
base="http://127.0.0.1:5101"

source bench/common.sh
need_packages wrk nginx
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; }
publish_app

# PostgreSQL refuses to run as root: then as the package's postgres user.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg="$work/pg"; mkdir -p "$pg"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pg"; chmod o+x "$work"; fi # postgres must reach its folder
as_pg "$pg_bin/initdb" -D "$pg/data" -U postgres --auth=trust >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg/data" -w -l "$pg/log" -o "-p 5433 -k $pg -c listen_addresses=127.0.0.1" start >/dev/null
trap 'stop_servers; as_pg "$pg_bin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null; cleanup' EXIT
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p 5433 -U postgres portal

declare -A token_rate me_rate
for provider in Sqlite PostgreSQL; do
  export Database__Provider=$provider
  if [ $provider = PostgreSQL ]; then export ConnectionStrings__Portal="Host=127.0.0.1;Port=5433;Database=portal;Username=postgres"; fi
  "${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
  export BENCH_KEY=$("${app[@]}" keys create --creator bench@example.com --name "Bench $provider" --env live --scopes "read:api_keys write:api_keys")
  start_app
  echo "$provider: warm-up ${warmup}s, then ${duration}s each of POST /oauth/token and GET /v1/me…"
  wrk -t2 -c64 -d"${warmup}s" -s bench/token.lua "$base/oauth/token" >/dev/null
  token_rate[$provider]=$(wrk -t2 -c64 -d"${duration}s" -s bench/token.lua "$base/oauth/token" | rps)
  export BENCH_TOKEN=$(token "$BENCH_KEY")
  me_rate[$provider]=$(wrk -t2 -c64 -d"${duration}s" -s bench/bearer.lua "$base/v1/me" | rps)
  stop_servers
done

echo "Two instances on PostgreSQL behind nginx's round-robin…"
second="http://127.0.0.1:5102"
balanced="http://127.0.0.1:5103"
start_app; start_app "$second"
# The API needs no sticky sessions: plain round-robin, keep-alive to both instances.
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream portal { server 127.0.0.1:5101; server 127.0.0.1:5102; keepalive 64; }
  server {
    listen 127.0.0.1:5103;
    location / { proxy_pass http://portal; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -g 'daemon off;' & servers+=($!)
sleep 1
wrk -t2 -c64 -d"${warmup}s" -s bench/token.lua "$balanced/oauth/token" >/dev/null
combined=$(wrk -t2 -c64 -d"${duration}s" -s bench/token.lua "$balanced/oauth/token" | rps)
echo "Revocation propagation, 100 revocations (made on one instance, checked on the other)…"
propagation=$(node bench/propagation.mjs "$base" "$second" "$(token "$BENCH_KEY")" 100)
stop_servers

cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on the same machine (${warmup} s warm-up, ${duration} s runs)
| measure | SQLite | PostgreSQL | PostgreSQL / SQLite |
|---|---|---|---|
| POST /oauth/token/s, one instance | ${token_rate[Sqlite]} | ${token_rate[PostgreSQL]} | $(ratio "${token_rate[PostgreSQL]}" "${token_rate[Sqlite]}") |
| GET /v1/me/s, one instance | ${me_rate[Sqlite]} | ${me_rate[PostgreSQL]} | $(ratio "${me_rate[PostgreSQL]}" "${me_rate[Sqlite]}") |
| POST /oauth/token/s, two instances on one PostgreSQL behind nginx round-robin | | $combined | |
| revocation on one instance → first 401 on the other | | $propagation | |
REPORT
