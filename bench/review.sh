#!/usr/bin/env bash
# Benchmark: the review desk at 100,000 keys, 90 days of usage counters for each and 10,000,000 audit events.
# (1) The server's time for Review's counts, a key's 90-day usage and each review list (median of N tries, curl's
# time to first byte, next to GET /healthz/live in the same run). (2) The credential report of all 100,000 keys,
# twice: the server's peak memory (VmHWM) before and after each (flat: the peak does not follow the row count). (3) The retention pass
# deleting the 10,000,000 expired events: token exchanges' p99 at 64 connections before it starts and while it runs,
# and how fast it deletes meanwhile.
# Installs sqlite3 and wrk from Debian's packages if missing; talks to 127.0.0.1 only; ~8 minutes, most of it the
# seeding (about 30 million rows).
# Usage: bench/review.sh [tries per request, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
tries=${1:-15}
port=5098
base="http://127.0.0.1:$port"
events=${BENCH_EVENTS:-10000000}

source bench/common.sh
need_packages sqlite3 wrk
publish_app
db="$work/data/diversitysync.db"

"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
for n in 1 2 3; do "${app[@]}" staff create --email "creator$n@example.com" --name "Creator $n" --role Admin >/dev/null; done
key=$("${app[@]}" keys create --creator bench@example.com --name "Review key" --env live \
  --scopes "read:api_keys download:api_keys")

echo "Seeding 100,000 keys, 90 days of counters each, and $events audit events…"
started=$SECONDS
# Creator 3 is blocked. Keys: a third test; 1 in 8 can write; 1 in 10 expiring within two weeks, 1 in 10 expired,
# 1 in 17 revoked, 1 in 20 never expiring... and half used, at ages up to about a month.
sqlite3 "$db" "
  PRAGMA synchronous = OFF; PRAGMA cache_size = -4000000;
  UPDATE AspNetUsers SET Status = 'Blocked' WHERE Email = 'creator3@example.com';
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000),
    c(k, Id) AS (SELECT row_number() OVER (ORDER BY Id) - 1, Id FROM AspNetUsers)
  INSERT INTO ApiKeys (KeyId, Environment, Name, NameForSearch, SecretHash, Scopes, HoldsWriteScope, Access, CreatedAt,
                       ScopesIdleSince, CreatedById, ExpiresAt, RevokedAt, RevokedBy, LastUsedAt, LastUsedIp,
                       LastUsedFor, Revision)
  SELECT lower(hex(randomblob(8))), CASE WHEN i % 3 = 0 THEN 'Test' ELSE 'Live' END,
         'Integration ' || i, 'integration ' || i, randomblob(32),
         CASE WHEN i % 8 = 0 THEN 'read:api_keys write:api_keys' ELSE 'read:api_keys read:users' END, i % 8 = 0,
         CASE WHEN i % 8 = 0 THEN 'Custom' ELSE 'ReadOnly' END,
         strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (i % 700) || ' days', '-' || i || ' seconds'),
         strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (i % 700) || ' days', '-' || i || ' seconds'),
         (SELECT Id FROM c WHERE k = i % 4),
         CASE i % 10 WHEN 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || (1 + i % 13) || ' days')
                     WHEN 1 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', '-5 days')
                     WHEN 2 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%f', 'now', '+300 days') END,
         CASE WHEN i % 17 = 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now') END, CASE WHEN i % 17 = 0 THEN 'Bench' END,
         CASE WHEN i % 2 = 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (i % 50000) || ' minutes') END,
         CASE WHEN i % 2 = 0 THEN '203.0.113.' || (i % 250) END, CASE WHEN i % 2 = 0 THEN 'token exchange' END, 0
  FROM n;
  WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 89)
  INSERT INTO KeyUsageDays (KeyId, Day, Issued, ApiCalls, RefusedSecret, RefusedRevoked, RefusedExpired,
                            RefusedCreator, RefusedScope, RefusedRateLimited)
  SELECT k.KeyId, date('now', '-' || d.i || ' days'), 24 + (k.rowid + d.i) % 50, (k.rowid * d.i) % 400,
         (k.rowid + d.i) % 7 = 0, 0, 0, 0, (k.rowid + d.i) % 11 = 0, 0
  FROM ApiKeys k, d ORDER BY k.KeyId, d.i;
  -- /v1 calls that needed read:api_keys, for every other key: the other half has idle scopes.
  WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 89)
  INSERT INTO KeyScopeUsageDays (KeyId, Scope, Day, Calls, LastAt)
  SELECT k.KeyId, 'read:api_keys', date('now', '-' || d.i || ' days'), 1 + (k.rowid * d.i) % 400,
         strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || d.i || ' days')
  FROM ApiKeys k, d WHERE k.rowid % 2 = 0 ORDER BY k.KeyId, d.i;
  INSERT INTO KeyScopeLastUses (KeyId, Scope, LastAt)
  SELECT KeyId, Scope, MAX(LastAt) FROM KeyScopeUsageDays GROUP BY KeyId, Scope;
  -- Each key's idlest scope, as the usage writer keeps it: every key here holds two scopes.
  UPDATE ApiKeys SET ScopesIdleSince = CASE WHEN (SELECT count(*) FROM KeyScopeLastUses u WHERE u.KeyId = ApiKeys.KeyId) < 2
    THEN CreatedAt ELSE (SELECT min(LastAt) FROM KeyScopeLastUses u WHERE u.KeyId = ApiKeys.KeyId) END;
  -- Per-request events, all older than the 90 days they are kept: the retention pass's work.
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $events)
  INSERT INTO AuditEvents (OccurredAt, Action, ActorType, ActorId, ActorName, TargetType, TargetId, ClientIp, Detail,
                           CorrelationId)
  SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', '-91 days', '-' || (i * 3) || ' seconds'),
         CASE WHEN i % 20 = 0 THEN 'token.refused' ELSE 'token.issued' END, 'key', printf('%016x', i % 100000),
         'Integration ' || (i % 100000), 'key', printf('%016x', i % 100000), '10.0.' || (i % 250) || '.' || (i % 200),
         'jti ' || lower(hex(randomblob(16))) || '; scope read:api_keys', lower(hex(randomblob(8)))
  FROM n;
  ANALYZE;"
echo "  $(sqlite3 "$db" "SELECT (SELECT count(*) FROM ApiKeys) || ' keys, ' || (SELECT count(*) FROM KeyUsageDays)
  || ' key days, ' || (SELECT count(*) FROM KeyScopeUsageDays) || ' scope days, '
  || (SELECT count(*) FROM AuditEvents) || ' events'") in $((SECONDS - started)) s"
some_key=$(sqlite3 "$db" "SELECT KeyId FROM ApiKeys WHERE rowid = 5000")

start_app
token=$(token "$key")
live=$(first_byte_ms 50 "$base/healthz/live")

rows=""
for path in "/v1/api-keys/review" "/v1/api-keys/$some_key/usage?days=90" "/v1/api-keys/$some_key/usage?days=30" \
  "/v1/api-keys?status=active&used=never" "/v1/api-keys?status=active&used=before:90d" \
  "/v1/api-keys?status=active&expires=never" "/v1/api-keys?expires=within:7d" "/v1/api-keys?status=expired" \
  "/v1/api-keys?env=live&status=active&writes=true" "/v1/api-keys?status=active&creatorStatus=blocked" \
  "/v1/api-keys?status=active&unusedScopes=true" "/v1/api-keys?created=within:30d" \
  "/v1/api-keys?created=before:1y&search=integration%2042"; do
  curl -fs -o /dev/null "$base$path" -H "Authorization: Bearer $token" # warm up
  rows+="| \`GET ${path/$some_key/\{keyId\}}\` | $(first_byte_ms "$tries" "$base$path" -H "Authorization: Bearer $token") ms |"$'\n'
done

mib() { awk "/^$1:/ {printf \"%.0f\", \$2 / 1024}" "/proc/$server/status"; }
report() { curl -fs -o "$work/report.csv" -w '%{time_total}' "$base/v1/api-keys/report?format=csv$1" -H "Authorization: Bearer $token"; }
idle_rss=$(mib VmRSS); idle_peak=$(mib VmHWM)
all_s=$(report ""); all_rows=$(($(wc -l <"$work/report.csv") - 1)); all_peak=$(mib VmHWM)
again_s=$(report ""); again_peak=$(mib VmHWM)
stop_servers

echo "Token exchanges before and during the retention pass…"
export Audit__RetentionIntervalMinutes=1
started=$SECONDS
start_app
cat >"$work/token.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $key"
LUA
exchanges() { wrk -t2 -c64 -d"$1" --latency -s "$work/token.lua" "$base/oauth/token"; }
exchanges 10s >/dev/null # warm-up
before=$(exchanges 20s)
while [ $((SECONDS - started)) -lt 65 ]; do sleep 1; done # the first pass starts one minute after start
expired() { sqlite3 "$db" "SELECT count(*) FROM AuditEvents WHERE OccurredAt < strftime('%Y-%m-%d %H:%M:%f', 'now', '-90 days')"; }
left_before=$(expired); measured_from=$SECONDS
during=$(exchanges 20s)
left=$(expired); rate=$(( (left_before - left) / (SECONDS - measured_from) ))

cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m): review desk
Baseline, same run: GET /healthz/live median first byte $live ms. Target: under 150 ms each.

| request (100,000 keys, 90 days of counters, $events events) | median first byte |
|---|---|
${rows%$'\n'}

| credential report (CSV) | rows | seconds | peak working set after (VmHWM) |
|---|---|---|---|
| before any report (RSS $idle_rss MiB) | | | $idle_peak MiB |
| every key | $all_rows | $all_s | $all_peak MiB |
| every key, again | $all_rows | $again_s | $again_peak MiB |

| token exchanges, 64 connections, 20 s | exchanges/s | p50 | p99 |
|---|---|---|---|
| before the retention pass | $(rps <<<"$before") | $(pct 50 <<<"$before") | $(pct 99 <<<"$before") |
| while it runs | $(rps <<<"$during") | $(pct 50 <<<"$during") | $(pct 99 <<<"$during") |

While the exchanges ran, the pass deleted $rate events/s ($left of $events still to go): all of them in about
$(( events / (rate > 0 ? rate : 1) / 60 )) minutes at that pace.
REPORT
