#!/usr/bin/env bash
# Where an exchange's CPU goes: POST /oauth/token under wrk load while Linux `perf` samples the server's on-CPU
# stacks (JIT'd code named through .NET's perf map), then a breakdown (bench/profile-breakdown.mjs). ES256 by
# default, so the signature is cheap and our own work shows (Tokens__Algorithm=RS256 for the other side).
# Installs wrk and linux-perf from Debian's packages if missing.
# Usage: bench/profile-token.sh [seconds sampled, default 10]      (BENCH_WARMUP seconds of load first, default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
warmup=${BENCH_WARMUP:-20}
port=5097
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages wrk
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends linux-perf; }
publish_app
export Tokens__Algorithm=${Tokens__Algorithm:-ES256}
# JIT'd methods are named in /tmp/perf-<pid>.map; without W^X double mapping perf can attribute them.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0

"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
export BENCH_KEY=$("${app[@]}" keys create --creator bench@example.com --name "Bench key" --env live --scopes "read:api_keys")
start_app

echo "Load: POST /oauth/token ($Tokens__Algorithm), 64 connections; ${warmup}s warm-up, then ${seconds}s sampled at 999 Hz…"
wrk -t2 -c64 -d"$((warmup + seconds + 2))s" -s bench/token.lua "$base/oauth/token" >"$work/wrk.txt" &
load=$!
sleep "$warmup"
perf record -F 999 -g -p "$server" -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null >/dev/null
wait "$load"
grep -E 'Requests/sec' "$work/wrk.txt"
perf script -i "$work/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null | node bench/profile-breakdown.mjs
rm -f "/tmp/perf-$server.map"
