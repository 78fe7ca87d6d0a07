#!/usr/bin/env bash
# Benchmark: the token endpoint and /v1 on this machine, next to its own baselines, in one run.
#   (a) RS256 token exchanges/s and p50/p99 at 64 connections, next to `openssl speed rsa2048` signs/s × cores and
#       to .NET's own signing rate (bench/signing-limit.cs); the server's and wrk's CPU per exchange
#   (a') the same with ES256 (after `signing-keys rotate`), next to `openssl speed ecdsap256` and to (b)'s cheap
#        endpoint: with a cheap signature, what is left is our own CPU per exchange
#   Each exchange run follows a warm-up (BENCH_WARMUP seconds, default 20) so that it measures the JIT's final code.
#   (b) authorized GET /v1/me per second, next to the same app's unauthenticated /healthz/live
#   (b') POST /oauth/introspect per second of the same token, next to (b)
#   (c) time from revoking a key to its token's first 401, and whether any later request still got 200
# Installs wrk, sqlite3 and openssl from Debian's packages if missing; talks to 127.0.0.1 only.
# Usage: bench/run.sh [seconds per wrk run, default 15]      (~3 minutes)
#        BENCH_FIELDS="api_keys=name,status" bench/run.sh   (the measured key limited to those fields)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
warmup=${BENCH_WARMUP:-20}
port=5099
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages wrk sqlite3 openssl
publish_app

echo "Seeding 10,000 keys…"
"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
key=$("${app[@]}" keys create --creator bench@example.com --name "Bench key" --env live --scopes "read:api_keys write:api_keys" \
  ${BENCH_FIELDS:+--fields "$BENCH_FIELDS"})
admin=$("${app[@]}" keys create --creator bench@example.com --name "Bench admin" --env live --scopes "read:api_keys write:api_keys")
victim=$("${app[@]}" keys create --creator bench@example.com --name "Bench victim" --env live --scopes "read:api_keys")
inspector=$("${app[@]}" keys create --creator bench@example.com --name "Bench resource server" --env live --scopes "read:tokens")
# The rest only need to exist (the registry loads them all): random hashes, so none of them can be used.
sqlite3 "$work/data/diversitysync.db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9997)
  INSERT INTO ApiKeys (KeyId, Environment, Name, NameForSearch, SecretHash, Scopes, Access, CreatedAt, CreatedById, Revision)
  SELECT lower(hex(randomblob(8))), 'Live', 'Seeded key ' || i, 'seeded key ' || i, randomblob(32), 'read:api_keys', 'ReadOnly',
         strftime('%Y-%m-%d %H:%M:%f', 'now'), (SELECT Id FROM AspNetUsers LIMIT 1), 0 FROM n;"
echo "  $(sqlite3 "$work/data/diversitysync.db" 'SELECT count(*) FROM ApiKeys') keys"

start_app


# measure WRK-ARGS…: runs wrk; prints its report followed by a line "cpu <server ms> <wrk ms>", the CPU time the
# server and wrk each spent per request (from /proc and bash's `time`).
hz=$(getconf CLK_TCK)
server_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
measure() {
  local before after timing requests
  before=$(server_ticks)
  timing=$( { TIMEFORMAT='%U %S'; time wrk "$@" >"$work/wrk.out"; } 2>&1 )
  after=$(server_ticks)
  requests=$(grep -oE '^ +[0-9]+ requests' "$work/wrk.out" | grep -oE '[0-9]+')
  cat "$work/wrk.out"
  awk -v t="$timing" "BEGIN {split(t, w, \" \"); printf \"cpu %.3f %.3f\\n\", 1000*($after-$before)/$hz/$requests, 1000*(w[1]+w[2])/$requests}"
}
export BENCH_KEY="$key"

cores=$(nproc)
echo "Baselines: openssl speed rsa2048 and ecdsap256, and .NET's own signing (${cores} cores)…"
signs=$(openssl speed -seconds 5 -multi "$cores" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
ec_signs=$(openssl speed -seconds 5 -multi "$cores" ecdsap256 2>/dev/null | awk '/256 bits ecdsa/ {print $(NF-1)}')
net_signs=$(dotnet run -c Release bench/signing-limit.cs -- RS256 5 | tail -1)
net_ec_signs=$(dotnet run -c Release bench/signing-limit.cs -- ES256 5 | tail -1)
echo "Warming up ${warmup}s…"
wrk -t2 -c64 -d"${warmup}s" -s bench/token.lua "$base/oauth/token" >/dev/null

echo "(a) POST /oauth/token, 64 connections, ${duration}s…"
a=$(measure -t2 -c64 -d"${duration}s" --latency -s bench/token.lua "$base/oauth/token")
echo "(b) GET /v1/me and GET /healthz/live, 64 connections, ${duration}s each…"
export BENCH_TOKEN=$(token "$key")
b=$(wrk -t2 -c64 -d"${duration}s" --latency -s bench/bearer.lua "$base/v1/me")
live=$(measure -t2 -c64 -d"${duration}s" --latency "$base/healthz/live")
echo "(b') POST /oauth/introspect of the same token, 64 connections, ${duration}s…"
export BENCH_CLIENT=$(printf '%s:%s' "$(cut -d_ -f3 <<<"$inspector")" "$inspector" | base64 -w0)
introspect=$(wrk -t2 -c64 -d"${duration}s" --latency -s bench/introspect.lua "$base/oauth/introspect")
[ "$(curl -fs -u "$(cut -d_ -f3 <<<"$inspector"):$inspector" -d "token=$BENCH_TOKEN" "$base/oauth/introspect" | grep -c '"active":true')" = 1 ] ||
  { echo "introspection does not answer active for the token" >&2; exit 1; }
echo "(c) revoking a key while its token is in use…"
c=$(node bench/revocation.mjs "$base" "$(token "$victim")" "$(token "$admin")" "$(cut -d_ -f3 <<<"$victim")")
echo "(a') the same key with ES256 signing (a new signing key, picked up through the change feed), ${duration}s…"
Tokens__Algorithm=ES256 "${app[@]}" signing-keys rotate >/dev/null
for _ in $(seq 1 50); do [ "$(token "$key" | cut -d. -f1 | base64 -d 2>/dev/null | grep -c ES256)" = 1 ] && break; sleep 0.2; done
wrk -t2 -c64 -d"${warmup}s" -s bench/token.lua "$base/oauth/token" >/dev/null
es=$(measure -t2 -c64 -d"${duration}s" --latency -s bench/token.lua "$base/oauth/token")

non2xx() { grep -oE 'Non-2xx or 3xx responses: [0-9]+' | grep -oE '[0-9]+$' || echo 0; }
token_rps=$(rps <<<"$a"); me_rps=$(rps <<<"$b"); live_rps=$(rps <<<"$live"); es_rps=$(rps <<<"$es"); introspect_rps=$(rps <<<"$introspect")
# cpu_row NAME WRK-OUTPUT SIGNS/S: the server's CPU per request, the signature's share of it (at .NET's own signing
# rate on all cores), the rest, and wrk's CPU per request.
cpu_row() {
  awk -v name="$1" -v signs="${3:-0}" -v cores="$cores" '/^cpu / {
    sign = signs > 0 ? 1000 * cores / signs : 0
    printf "| %s | %.3f | %.3f | %.3f | %.3f |\n", name, $2, sign, $2 - sign, $3 }' <<<"$2"
}
cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores${BENCH_FIELDS:+, key limited to fields $BENCH_FIELDS}, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m) (${warmup} s warm-up, ${duration} s runs)
| measure | result | baseline | ratio | target |
|---|---|---|---|---|
| (a) RS256 token exchanges/s (p50 $(pct 50 <<<"$a"), p99 $(pct 99 <<<"$a"); non-2xx $(non2xx <<<"$a")) | $token_rps | openssl rsa2048 signs/s, all cores: $signs (.NET: $net_signs) | $(ratio "$token_rps" "$signs") ($(ratio "$token_rps" "$net_signs") of .NET's) | ≥ 80 % |
| (a') ES256 token exchanges/s (p50 $(pct 50 <<<"$es"), p99 $(pct 99 <<<"$es"); non-2xx $(non2xx <<<"$es")) | $es_rps | GET /healthz/live/s: $live_rps (openssl ecdsap256 signs/s: $ec_signs, .NET: $net_ec_signs) | $(ratio "$es_rps" "$live_rps") | ≥ 25 % |
| (b) GET /v1/me/s (p50 $(pct 50 <<<"$b"), p99 $(pct 99 <<<"$b"); non-2xx $(non2xx <<<"$b")) | $me_rps | GET /healthz/live/s: $live_rps | $(ratio "$me_rps" "$live_rps") | ≥ 50 % |
| (b') POST /oauth/introspect/s (p50 $(pct 50 <<<"$introspect"), p99 $(pct 99 <<<"$introspect"); non-2xx $(non2xx <<<"$introspect")) | $introspect_rps | GET /v1/me/s: $me_rps | $(ratio "$introspect_rps" "$me_rps") | ≥ 80 % |
| (c) revoke → first 401 | $c | | | no 200 after the revoke |

CPU per request, ms (server from /proc, wrk from \`time\`; the signature at .NET's own rate on all cores):

| request | server | of which the signature | the rest | wrk |
|---|---|---|---|---|
$(cpu_row "RS256 exchange" "$a" "$net_signs")
$(cpu_row "ES256 exchange" "$es" "$net_ec_signs")
$(cpu_row "GET /healthz/live" "$live")
REPORT
