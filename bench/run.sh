#!/usr/bin/env bash
# Benchmark: the token endpoint and /v1 on this machine, next to its own baselines, in one run.
#   (a) RS256 token exchanges/s and p50/p99 at 64 connections, next to `openssl speed rsa2048` signs/s × cores
#   (a') the same with ES256 (after `signing-keys rotate`), next to `openssl speed ecdsap256` and to (b)'s cheap
#        endpoint: with a cheap signature, what is left is our own CPU per exchange
#   (b) authorized GET /v1/me per second, next to the same app's unauthenticated /healthz/live
#   (c) time from revoking a key to its token's first 401, and whether any later request still got 200
# Installs wrk, sqlite3 and openssl from Debian's packages if missing; talks to 127.0.0.1 only; ~2 minutes.
# Usage: bench/run.sh [seconds per wrk run, default 15]
#        BENCH_FIELDS="api_keys=name,status" bench/run.sh   (the measured key limited to those fields)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
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
# The rest only need to exist (the registry loads them all): random hashes, so none of them can be used.
sqlite3 "$work/data/diversitysync.db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9997)
  INSERT INTO ApiKeys (KeyId, Environment, Name, NameForSearch, SecretHash, Scopes, Access, CreatedAt, CreatedById, Revision)
  SELECT lower(hex(randomblob(8))), 'Live', 'Seeded key ' || i, 'seeded key ' || i, randomblob(32), 'read:api_keys', 'ReadOnly',
         strftime('%Y-%m-%d %H:%M:%f', 'now'), (SELECT Id FROM AspNetUsers LIMIT 1), 0 FROM n;"
echo "  $(sqlite3 "$work/data/diversitysync.db" 'SELECT count(*) FROM ApiKeys') keys"

start_app

token() { curl -fs -X POST "$base/oauth/token" -H "Authorization: Bearer $1" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
rps() { grep -oE 'Requests/sec: +[0-9.]+' | grep -oE '[0-9.]+$'; }
pct() { grep -E "^ +$1%" | awk '{print $2}'; }

cores=$(nproc)
echo "Baselines: openssl speed rsa2048 and ecdsap256 (${cores} cores)…"
signs=$(openssl speed -seconds 5 -multi "$cores" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
ec_signs=$(openssl speed -seconds 5 -multi "$cores" ecdsap256 2>/dev/null | awk '/256 bits ecdsa/ {print $(NF-1)}')
BENCH_KEY="$key" wrk -t2 -c64 -d3s -s bench/token.lua "$base/oauth/token" >/dev/null

echo "(a) POST /oauth/token, 64 connections, ${duration}s…"
a=$(BENCH_KEY="$key" wrk -t2 -c64 -d"${duration}s" --latency -s bench/token.lua "$base/oauth/token")
echo "(b) GET /v1/me and GET /healthz/live, 64 connections, ${duration}s each…"
BENCH_TOKEN=$(token "$key")
b=$(BENCH_TOKEN="$BENCH_TOKEN" wrk -t2 -c64 -d"${duration}s" --latency -s bench/bearer.lua "$base/v1/me")
live=$(wrk -t2 -c64 -d"${duration}s" --latency "$base/healthz/live")
echo "(c) revoking a key while its token is in use…"
c=$(node bench/revocation.mjs "$base" "$(token "$victim")" "$(token "$admin")" "$(cut -d_ -f3 <<<"$victim")")
echo "(a') the same key with ES256 signing (a new signing key, picked up through the change feed), ${duration}s…"
Tokens__Algorithm=ES256 "${app[@]}" signing-keys rotate >/dev/null
for _ in $(seq 1 50); do [ "$(token "$key" | cut -d. -f1 | base64 -d 2>/dev/null | grep -c ES256)" = 1 ] && break; sleep 0.2; done
BENCH_KEY="$key" wrk -t2 -c64 -d3s -s bench/token.lua "$base/oauth/token" >/dev/null
es=$(BENCH_KEY="$key" wrk -t2 -c64 -d"${duration}s" --latency -s bench/token.lua "$base/oauth/token")

non2xx() { grep -oE 'Non-2xx or 3xx responses: [0-9]+' | grep -oE '[0-9]+$' || echo 0; }
token_rps=$(rps <<<"$a"); me_rps=$(rps <<<"$b"); live_rps=$(rps <<<"$live"); es_rps=$(rps <<<"$es")
# CPU per exchange besides its signature: cores × (1 / exchanges per second − 1 / signatures per second).
ours() { awk "BEGIN {printf \"%.2f ms\", 1000*$cores*(1/$1 - 1/$2)}"; }
cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores${BENCH_FIELDS:+, key limited to fields $BENCH_FIELDS}, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m)
| measure | result | baseline | ratio | target |
|---|---|---|---|---|
| (a) RS256 token exchanges/s (p50 $(pct 50 <<<"$a"), p99 $(pct 99 <<<"$a"); non-2xx $(non2xx <<<"$a"); CPU besides signing $(ours "$token_rps" "$signs")) | $token_rps | openssl rsa2048 signs/s, all cores: $signs | $(awk "BEGIN {printf \"%.0f%%\", 100*$token_rps/$signs}") | ≥ 80 % |
| (a') ES256 token exchanges/s (p50 $(pct 50 <<<"$es"), p99 $(pct 99 <<<"$es"); non-2xx $(non2xx <<<"$es"); CPU besides signing $(ours "$es_rps" "$ec_signs")) | $es_rps | GET /healthz/live/s: $live_rps (openssl ecdsap256 signs/s: $ec_signs) | $(awk "BEGIN {printf \"%.0f%%\", 100*$es_rps/$live_rps}") | ≥ 25 % |
| (b) GET /v1/me/s (p50 $(pct 50 <<<"$b"), p99 $(pct 99 <<<"$b"); non-2xx $(non2xx <<<"$b")) | $me_rps | GET /healthz/live/s: $live_rps | $(awk "BEGIN {printf \"%.0f%%\", 100*$me_rps/$live_rps}") | ≥ 50 % |
| (c) revoke → first 401 | $c | | | no 200 after the revoke |
REPORT
