#!/usr/bin/env bash
# Benchmark: GET /v1/audit-events/export of 100,000 events streams in constant memory.
# Seeds 100,000 audit events (10,000 of them "key.revoked"), then exports the 10,000 and then all of them three
# times, reading the server's resident memory (VmRSS) and its peak so far (VmHWM) from /proc after each export.
# Flat memory: the peak does not follow the row count, and repeating the big export does not raise it (the GC
# settles on a heap size; nothing accumulates). Rows/s from curl's time.
# Installs sqlite3 from Debian's packages if missing; talks to 127.0.0.1 only; ~1 minute.
# Usage: bench/export.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port=5098
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages sqlite3
publish_app

"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
key=$("${app[@]}" keys create --creator bench@example.com --name "Export key" --env live --scopes "download:audit")
sqlite3 "$work/data/diversitysync.db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
  INSERT INTO AuditEvents (OccurredAt, Action, ActorType, ActorId, ActorName, TargetType, TargetId, ClientIp, Detail, CorrelationId)
  SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || i || ' seconds'), CASE WHEN i % 10 = 0 THEN 'key.revoked' ELSE 'token.issued' END,
         'key', lower(hex(randomblob(8))), 'Integration ' || (i % 500), 'key', lower(hex(randomblob(8))), '10.0.' || (i % 250) || '.' || (i % 200),
         'jti ' || lower(hex(randomblob(16))) || '; scope read:api_keys read:users', lower(hex(randomblob(8))) FROM n;"
echo "  $(sqlite3 "$work/data/diversitysync.db" 'SELECT count(*) FROM AuditEvents') audit events"

start_app
token=$(token "$key")
mib() { awk "/^$1:/ {printf \"%.0f\", \$2 / 1024}" "/proc/$server/status"; }

export_rows() { # query → "rows seconds"
  local seconds
  seconds=$(curl -fs -o "$work/export.csv" -w '%{time_total}' "$base/v1/audit-events/export$1" -H "Authorization: Bearer $token")
  echo "$(($(wc -l <"$work/export.csv") - 1)) $seconds"
}

curl -fs -o /dev/null "$base/v1/audit-events/export?action=webhook.none" -H "Authorization: Bearer $token" || true # warm up
idle_rss=$(mib VmRSS); idle_peak=$(mib VmHWM)
read -r small_rows small_s < <(export_rows "?action=key.revoked")
small_peak=$(mib VmHWM)
all_runs=""
for run in 1 2 3; do
  read -r all_rows all_s < <(export_rows "")
  all_runs+="| everything, run $run | $all_rows | $all_s | $(awk "BEGIN {printf \"%.0f\", $all_rows/$all_s}") | $(mib VmHWM) MiB (RSS $(mib VmRSS) MiB) |"$'\n'
done

cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m)
| export | rows | seconds | rows/s | peak working set after (VmHWM) |
|---|---|---|---|---|
| before any export (RSS $idle_rss MiB) | | | | $idle_peak MiB |
| action=key.revoked | $small_rows | $small_s | $(awk "BEGIN {printf \"%.0f\", $small_rows/$small_s}") | $small_peak MiB |
${all_runs%$'\n'}
REPORT
