#!/usr/bin/env bash
# Benchmark: the server at a million keys and ten million events. On a database of one key (the baseline), then of a
# million (seeded with bench/seed.cs: the portal's own model, in bulk), in the same run: start to /healthz healthy,
# the token endpoint's rate (wrk, one key in use, after a warm-up) and the server's memory after it. Then ten million
# audit events are seeded too, and the median time to first byte of 3 tries of every key-list filter and sort (alone
# and with search and creator) and every audit-log filter is measured, next to GET /healthz/live in the same run.
# Installs sqlite3 and wrk if missing; talks to 127.0.0.1 only; about 12 minutes, most of it the seeding.
# Usage: bench/scale.sh [keys, default 1000000] [events, default 10000000]
set -euo pipefail
cd "$(dirname "$0")/.."
keys=${1:-1000000}
events=${2:-10000000}
port=5099
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages sqlite3 wrk
publish_app
db="$work/data/diversitysync.db"
"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
for n in 1 2 3; do "${app[@]}" staff create --email "creator$n@example.com" --name "Creator $n" --role Admin >/dev/null; done
key=$("${app[@]}" keys create --creator bench@example.com --name "Scale key" --env live --scopes "read:api_keys read:audit")
export BENCH_KEY="$key"

# start_measured: starts the server and sets m_healthy (seconds to healthy), m_rate (token exchanges per second over
# 10 s, after a 10-second warm-up in which the key registry finishes its read) and m_rss (MiB resident after that).
start_measured() {
  local started
  started=$(date +%s.%N)
  start_app
  m_healthy=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $started}")
  wrk -t2 -c64 -d10s -s bench/token.lua "$base/oauth/token" >/dev/null
  m_rate=$(wrk -t2 -c64 -d10s -s bench/token.lua "$base/oauth/token" | rps)
  m_rss=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
}
start_measured
small_healthy=$m_healthy small_rss=$m_rss small_rate=$m_rate
stop_servers
small_keys=$(sqlite3 "$db" "SELECT COUNT(*) FROM ApiKeys")

echo "Seeding $keys keys…"
dotnet run bench/seed.cs -- "sqlite:$db" --keys "$keys"
start_measured
stop_servers
echo "Seeding $events events and usage counters…"
dotnet run bench/seed.cs -- "sqlite:$db" --keys 0 --events "$events" --usage-keys 10000
creator=$(sqlite3 "$db" "SELECT Id FROM AspNetUsers WHERE Email = 'creator1@example.com'")
some_key=$(sqlite3 "$db" "SELECT KeyId FROM ApiKeys WHERE rowid = 777")

start_app
sleep 10 # the key registry's read of a million keys, in the background, done
token=$(token "$key")
live=$(first_byte_ms 3 "$base/healthz/live")
auth=(-H "Authorization: Bearer $token")
today=$(date -u +%Y-%m-%d); week_ago=$(date -u -d '-7 days' +%Y-%m-%d)
rows=""
for q in "" "status=active" "status=revoked" "status=expired" "status=expiring_soon" "status=replaced" "access=admin" \
  "access=read_only" "env=test" "creator=$creator" "search=payroll%20backup%2042" "search=billing" "sort=name&page=2000" \
  "sort=last_used" "sort=created_asc" "status=revoked&sort=name" "status=expired&sort=last_used" "access=admin&sort=name" \
  "status=revoked&search=billing" "access=admin&creator=$creator" "env=test&creator=$creator&search=device" \
  "used=never" "expires=within:7d" "writes=true" "unusedScopes=true" "creatorStatus=blocked"; do
  rows+="| \`/v1/api-keys?${q//$creator/\{creator\}}\` | $(first_byte_ms 3 "$base/v1/api-keys?$q" "${auth[@]}") ms |"$'\n'
done
for q in "" "action=key.revoked" "actor=$some_key" "actor=billing" "target=$some_key" "from=$week_ago&to=$today" \
  "action=key.created&from=$week_ago" "page=1000"; do
  rows+="| \`/v1/audit-events?${q//$some_key/\{keyId\}}\` | $(first_byte_ms 3 "$base/v1/audit-events?$q" "${auth[@]}") ms |"$'\n'
done
rows+="| \`/v1/audit-events/export?action=key.revoked\` (first byte) | $(first_byte_ms 3 "$base/v1/audit-events/export?action=key.revoked" "${auth[@]}") ms |"

cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m): $keys keys, $events events

| | $small_keys key (baseline) | $keys keys | target |
|---|---|---|---|
| start to /healthz healthy | $small_healthy s | $m_healthy s | ≤ 3 s |
| server memory (VmRSS) after the token runs | $small_rss MiB | $m_rss MiB | |
| POST /oauth/token, 64 connections, 10 s after 10 s | $small_rate/s | $m_rate/s | within noise |

Baseline, same run: GET /healthz/live median first byte $live ms. Target: under 150 ms each.

| request | median first byte |
|---|---|
$rows
REPORT
