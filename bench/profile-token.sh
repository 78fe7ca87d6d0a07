#!/usr/bin/env bash
# Where an exchange's CPU goes: POST /oauth/token under wrk load while dotnet-trace samples the server's CPU, then
# the top frames. ES256 by default, so the signature is cheap and our own work dominates (Tokens__Algorithm=RS256
# to see the signing limit's side). Installs wrk from Debian and dotnet-trace from NuGet (into a temp folder).
# Usage: bench/profile-token.sh [seconds sampled, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
port=5097
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages wrk
publish_app
export Tokens__Algorithm=${Tokens__Algorithm:-ES256}
dotnet tool install --tool-path "$work/tools" dotnet-trace >/dev/null

"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
key=$("${app[@]}" keys create --creator bench@example.com --name "Bench key" --env live --scopes "read:api_keys")
start_app

echo "Load: POST /oauth/token, 64 connections; sampling ${seconds}s of CPU…"
BENCH_KEY="$key" wrk -t2 -c64 -d"$((seconds + 8))s" -s bench/token.lua "$base/oauth/token" >"$work/wrk.txt" &
load=$!
sleep 4
"$work/tools/dotnet-trace" collect -p "$server" --profile dotnet-sampled-thread-time --duration "00:00:00:$seconds" -o "$work/token.nettrace" </dev/null | tail -3
wait "$load"
echo
grep -E 'Requests/sec' "$work/wrk.txt"
echo "## Top frames, exclusive (own time)"
"$work/tools/dotnet-trace" report "$work/token.nettrace" topN -n 40
echo "## Top frames, inclusive"
"$work/tools/dotnet-trace" report "$work/token.nettrace" topN -n 60 --inclusive
