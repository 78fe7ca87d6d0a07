#!/usr/bin/env bash
# Memory under sustained load: POST /oauth/token (RS256) at full rate for BENCH_SOAK_SECONDS (default 300), printing
# the server's working set (VmRSS) and the audit rows written every 30 s. Flat means no cache or queue grows with
# the number of exchanges. Installs wrk from Debian's packages if missing.
# Usage: bench/soak-token.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SOAK_SECONDS:-300}
port=5098
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages wrk sqlite3
publish_app
"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
export BENCH_KEY=$("${app[@]}" keys create --creator bench@example.com --name "Bench key" --env live --scopes "read:api_keys")
start_app

rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }
audit_rows() { sqlite3 "$work/data/diversitysync.db" "SELECT count(*) FROM AuditEvents WHERE Action = 'token.issued'"; }
echo "Working set at start: $(rss) MiB. ${seconds}s of RS256 exchanges at 64 connections…"
wrk -t2 -c64 -d"${seconds}s" -s bench/token.lua "$base/oauth/token" >"$work/wrk.txt" &
load=$!
echo "| after | working set (MiB) | token.issued audit rows |"
echo "|---|---|---|"
for elapsed in $(seq 30 30 "$seconds"); do
  sleep 30
  echo "| ${elapsed} s | $(rss) | $(audit_rows) |"
done
wait "$load"
grep -E 'Requests/sec|requests in' "$work/wrk.txt"
