#!/usr/bin/env bash
# Benchmark: webhooks end to end. Creates 1,000 keys through /v1 with one endpoint subscribed to api_key.created on
# a local receiver (bench/webhooks.mjs) and reports how many events arrived, the delivery rate and the lag from each
# create response to its delivery (p50/p95/max); then the token endpoint's rate without and with the endpoint
# configured (wrk, 64 connections). Installs wrk from Debian's packages if missing; loopback only; ~1 minute.
# Usage: bench/webhooks.sh [keys, default 1000] [seconds per wrk run, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
duration=${2:-8}
port=5097
receiver_port=5096
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages wrk
publish_app
export Webhooks__AllowPrivateNetworks=true # the receiver is on loopback

"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
admin=$("${app[@]}" keys create --creator bench@example.com --name "Bench admin" --env live --scopes "read:api_keys write:api_keys")
start_app

BENCH_KEY="$admin" wrk -t2 -c64 -d3s -s bench/token.lua "$base/oauth/token" >/dev/null # warm-up: JIT, pools
echo "Token endpoint without webhooks, ${duration}s…"
without=$(BENCH_KEY="$admin" wrk -t2 -c64 -d"${duration}s" --latency -s bench/token.lua "$base/oauth/token")
"${app[@]}" webhooks add --url "http://127.0.0.1:$receiver_port/hooks" --events "api_key.created" >/dev/null
echo "Creating $count keys with one subscribed endpoint…"
result=$(node bench/webhooks.mjs "$base" "$(token "$admin")" "$receiver_port" "$count")
echo "Token endpoint with the endpoint configured, ${duration}s…"
with=$(BENCH_KEY="$admin" wrk -t2 -c64 -d"${duration}s" --latency -s bench/token.lua "$base/oauth/token")

cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m)
| measure | result |
|---|---|
| $count keys created through /v1, one endpoint subscribed | $result |
| token exchanges/s without webhooks (p50 $(pct 50 <<<"$without"), p99 $(pct 99 <<<"$without")) | $(rps <<<"$without") |
| token exchanges/s with the endpoint configured (p50 $(pct 50 <<<"$with"), p99 $(pct 99 <<<"$with")) | $(rps <<<"$with") |
REPORT
