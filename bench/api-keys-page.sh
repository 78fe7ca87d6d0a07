#!/usr/bin/env bash
# Benchmark: the API Keys page with 100,000 keys. Server time (time to first byte over loopback; the page
# is rendered whole before it is sent) for every filter and sort, page 1 and a deep page, next to the same app's
# GET /healthz/live in the same run. Target: every row under 150 ms.
# Installs sqlite3 from Debian's packages if missing; talks to 127.0.0.1 only; ~1 minute.
# Usage: bench/api-keys-page.sh [requests per row, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
port=5098
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages sqlite3
publish_app

echo "Seeding 100,000 keys from 4 creators…"
setup_link=$("${app[@]}" setup-link)
for n in 1 2 3 4; do "${app[@]}" staff create --email "creator$n@example.com" --name "Creator $n" --role Admin >/dev/null; done
# A realistic mix: a third test keys, 1 in 10 expiring within two weeks, 1 in 10 expired, 1 in 17 revoked, half used.
sqlite3 "$work/data/diversitysync.db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000),
    c(k, Id) AS (SELECT row_number() OVER (ORDER BY Id) - 1, Id FROM AspNetUsers)
  INSERT INTO ApiKeys (KeyId, Environment, Name, NameForSearch, SecretHash, Scopes, CreatedAt, CreatedById,
                       ExpiresAt, RevokedAt, RevokedBy, LastUsedAt, LastUsedIp, LastUsedFor, Revision)
  SELECT lower(hex(randomblob(8))), CASE WHEN i % 3 = 0 THEN 'Test' ELSE 'Live' END,
         'Integration ' || i, 'integration ' || i, randomblob(32), 'read:api_keys',
         strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (i % 700) || ' days', '-' || i || ' seconds'),
         (SELECT Id FROM c WHERE k = i % 4),
         CASE i % 10 WHEN 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || (1 + i % 13) || ' days')
                     WHEN 1 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', '-5 days') END,
         CASE WHEN i % 17 = 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now') END, CASE WHEN i % 17 = 0 THEN 'Bench' END,
         CASE WHEN i % 2 = 0 THEN strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (i % 50000) || ' minutes') END,
         CASE WHEN i % 2 = 0 THEN '203.0.113.' || (i % 250) END, CASE WHEN i % 2 = 0 THEN 'token exchange' END, 0
  FROM n;"
echo "  $(sqlite3 "$work/data/diversitysync.db" 'SELECT count(*) FROM ApiKeys') keys"

start_app

# Sign in as a browser would: the setup link makes the Owner, then /login (curl keeps Secure cookies for 127.0.0.1).
jar="$work/cookies"
antiforgery() { curl -fs -c "$jar" -b "$jar" "$1" | sed -nE 's/.*name="__RequestVerificationToken"[^>]*value="([^"]+)".*/\1/p' | head -1; }
curl -fs -o /dev/null -c "$jar" -b "$jar" "${setup_link/http:\/\/*\/setup/$base/setup}" \
  --data-urlencode "__RequestVerificationToken=$(antiforgery "${setup_link/http:\/\/*\/setup/$base/setup}")" \
  --data-urlencode "_handler=setup" --data-urlencode "Input.DisplayName=Bench Owner" --data-urlencode "Input.Email=owner@example.com" \
  --data-urlencode "Input.Password=Bench-Password-1" --data-urlencode "Input.ConfirmPassword=Bench-Password-1"
curl -fs -o /dev/null -c "$jar" -b "$jar" "$base/login" --data-urlencode "__RequestVerificationToken=$(antiforgery "$base/login")" \
  --data-urlencode "_handler=login" --data-urlencode "Input.Email=owner@example.com" --data-urlencode "Input.Password=Bench-Password-1"
grep -q __Host-ds-session "$jar" || { echo "could not sign in" >&2; exit 1; }
creator=$(sqlite3 "$work/data/diversitysync.db" "SELECT Id FROM AspNetUsers WHERE Email = 'creator2@example.com'")
some_id=$(sqlite3 "$work/data/diversitysync.db" "SELECT KeyId FROM ApiKeys WHERE Name = 'Integration 77777'")

# Median, p95 and max of $runs requests, in ms, after two warm-up requests; fails on anything but 200.
measure() {
  local url=$1 times=()
  for i in $(seq 1 $((runs + 2))); do
    read -r code t < <(curl -s -o "$work/page.html" -b "$jar" -w '%{http_code} %{time_starttransfer}\n' "$url")
    [ "$code" = 200 ] || { echo "$url answered $code" >&2; exit 1; }
    [ "$i" -gt 2 ] && times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ms[NR] = $1 * 1000} END {printf "%.1f | %.1f | %.1f", ms[int((NR + 1) / 2)], ms[int(NR * 0.95 + 0.5)], ms[NR]}'
}
shown() { grep -oE 'data-testid="result-count">[^<]+' "$work/page.html" | sed -e 's/.*>//' -e 's/&#x2013;/–/' || echo "none"; }

rows=(
  "default (newest first), page 1|"
  "default, deep page 2,000|?page=2000"
  "default, last page 4,000|?page=4000"
  "oldest first, page 1|?sort=created_asc"
  "last used, page 1|?sort=last_used"
  "last used, deep page 2,000|?sort=last_used&page=2000"
  "name, page 1|?sort=name"
  "name, deep page 2,000|?sort=name&page=2000"
  "search name 'integration 7777'|?q=integration%207777"
  "search key id prefix|?q=ds_live_${some_id:0:6}"
  "creator, page 1|?creator=$creator"
  "creator, deep page 900|?creator=$creator&page=900"
  "live, page 1|?env=live"
  "status active, last used, deep page 1,000|?status=active&sort=last_used&page=1000"
  "status expiring soon|?status=expiring_soon"
  "status expired, name|?status=expired&sort=name"
  "status revoked, deep page 200|?status=revoked&page=200"
  "test + active + creator + name|?env=test&status=active&creator=$creator&sort=name"
)
echo "Measuring ${#rows[@]} views, $runs requests each…"
report="| view | shown | median ms | p95 ms | max ms |
|---|---|---|---|---|"
for row in "${rows[@]}"; do
  label=${row%%|*}; query=${row#*|}
  times=$(measure "$base/admin/api-keys$query")
  report+=$'\n'"| $label | $(shown) | $times |"
done
live=$(curl -s -o /dev/null -w '' "$base/healthz/live"; measure "$base/healthz/live")
cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m): API Keys page, 100,000 keys
Baseline, same run: GET /healthz/live median | p95 | max = $live ms. Target: every view under 150 ms.

$report
REPORT
