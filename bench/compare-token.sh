#!/usr/bin/env bash
# Benchmark: POST /oauth/token of this tree next to another commit's, in one run on this machine: both published in
# Release, each with its own fresh database and one ES256 key (a cheap signature, so what differs is our own CPU per
# exchange), measured in turns A B A B A B (BENCH_ROUNDS) at 64 connections after a warm-up each, next to /healthz/live of the same
# server. BENCH_ALLOWED_IPS (such as "$(bench/allowlist-50.sh)") gives this tree's key that IP allowlist, so the
# comparison includes the check. Installs wrk if missing; talks to 127.0.0.1 only; leaves nothing behind.
# Usage: bench/compare-token.sh <commit> [seconds per run, default 15]      (~6 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:?usage: bench/compare-token.sh <commit> [seconds]}
duration=${2:-15}
warmup=${BENCH_WARMUP:-15}
base="http://127.0.0.1:5099"
source bench/common.sh
need_packages wrk

# prepare NAME SOURCE PORT: publish SOURCE into $work/NAME, an Owner and a key in its own database, ES256.
prepare() {
  local name=$1 source=$2 port=$3
  dotnet publish "$source/DiversitySync.Portal" -c Release -o "$work/$name" --nologo -v q >/dev/null
  local run=(env Portal__DataDirectory="$work/$name-data" Portal__PublicUrl="http://127.0.0.1:$port" Tokens__Algorithm=ES256
    ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning RateLimits__Enabled=false dotnet "$work/$name/DiversitySync.Portal.dll")
  "${run[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
  local allowed=()
  [ "$name" = this ] && [ -n "${BENCH_ALLOWED_IPS:-}" ] && allowed=(--allowed-ips "$BENCH_ALLOWED_IPS")
  "${run[@]}" keys create --creator bench@example.com --name "Bench key" --env live --scopes "read:api_keys" \
    "${allowed[@]}" 2>/dev/null >"$work/$name.key"
  "${run[@]}" --urls "http://127.0.0.1:$port" --contentRoot "$work/$name" >>"$work/$name.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  # A refused exchange is fast too: make sure the key works before its rate means anything.
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/oauth/token" -H "Authorization: Bearer $(cat "$work/$name.key")" \
    || { echo "The $name key does not exchange at port $port." >&2; exit 1; }
}

echo "Publishing this tree and $ref…"
git worktree add -q --detach "$work/other-src" "$ref"
trap 'git worktree remove --force "$work/other-src" 2>/dev/null || true; cleanup' EXIT
prepare this . 5101
prepare other "$work/other-src" 5102

cat >"$work/token.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
LUA
measure() { # NAME PORT: "exchanges/s p50 p99"
  local url="http://127.0.0.1:$2"
  KEY=$(cat "$work/$1.key") wrk -t2 -c64 -d"${warmup}s" -s "$work/token.lua" "$url/oauth/token" >/dev/null
  local out; out=$(KEY=$(cat "$work/$1.key") wrk -t2 -c64 -d"${duration}s" --latency -s "$work/token.lua" "$url/oauth/token")
  echo "$(echo "$out" | rps) $(echo "$out" | pct 50) $(echo "$out" | pct 99)"
}
health() { wrk -t2 -c64 -d"${duration}s" "http://127.0.0.1:$1/healthz/live" | rps; }

declare -A results
rounds=${BENCH_ROUNDS:-3}
for round in $(seq 1 "$rounds"); do
  for name in this other; do
    port=$([ "$name" = this ] && echo 5101 || echo 5102)
    results[$name-$round]=$(measure "$name" "$port")
    echo "  round $round, $name: ${results[$name-$round]} (exchanges/s p50 p99)"
  done
done
echo "  /healthz/live of this tree: $(health 5101) requests/s"
# The median round of each: one slow round (a GC, the other server's timer) moves it least.
median() { for r in $(seq 1 "$rounds"); do echo "${results[$1-$r]%% *}"; done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "Median of $rounds rounds: this tree $(median this) exchanges/s, $ref $(median other); this / $ref = $(ratio "$(median this)" "$(median other)")."
