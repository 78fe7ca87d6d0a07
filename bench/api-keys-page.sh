#!/usr/bin/env bash
# Benchmark: the API Keys page with 100,000 keys. (1) In headless Chromium over a live circuit, from an action (the
# end of a search's debounce, a filter, a sort, a deep page) to the new rows on screen: target median under 150 ms,
# p95 under 300 ms. (2) The server's memory per open circuit, with 20 circuits (RSS and live GC heap). (3) The
# server's own time for every filter and sort (the same queries through the prerendered page's first byte), next to
# GET /healthz/live. Installs sqlite3 and chromium from Debian's packages, playwright-core from npm and dotnet-gcdump
# from NuGet (both into a temp folder) if missing; talks to 127.0.0.1 only; ~3 minutes.
# Usage: bench/api-keys-page.sh [tries per action, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
port=5098
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages sqlite3 chromium
publish_app

echo "Seeding 100,000 keys from 4 creators…"
setup_link=$("${app[@]}" setup-link)
for n in 1 2 3 4; do "${app[@]}" staff create --email "creator$n@example.com" --name "Creator $n" --role Admin >/dev/null; done
# A realistic mix: a third test keys, 1 in 10 expiring within two weeks, 1 in 10 expired, 1 in 17 revoked, half used.
sqlite3 "$work/data/diversitysync.db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000),
    c(k, Id) AS (SELECT row_number() OVER (ORDER BY Id) - 1, Id FROM AspNetUsers)
  INSERT INTO ApiKeys (KeyId, Environment, Name, NameForSearch, SecretHash, Scopes, Access, CreatedAt, CreatedById,
                       ExpiresAt, RevokedAt, RevokedBy, LastUsedAt, LastUsedIp, LastUsedFor, Revision)
  SELECT lower(hex(randomblob(8))), CASE WHEN i % 3 = 0 THEN 'Test' ELSE 'Live' END,
         'Integration ' || i, 'integration ' || i, randomblob(32), 'read:api_keys', 'ReadOnly',
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

# The setup link makes the Owner (as a browser would post the form); Chromium signs in with it below.
jar="$work/cookies"
antiforgery() { curl -fs -c "$jar" -b "$jar" "$1" | sed -nE 's/.*name="__RequestVerificationToken"[^>]*value="([^"]+)".*/\1/p' | head -1; }
curl -fs -o /dev/null -c "$jar" -b "$jar" "${setup_link/http:\/\/*\/setup/$base/setup}" \
  --data-urlencode "__RequestVerificationToken=$(antiforgery "${setup_link/http:\/\/*\/setup/$base/setup}")" \
  --data-urlencode "_handler=setup" --data-urlencode "Input.DisplayName=Bench Owner" --data-urlencode "Input.Email=owner@example.com" \
  --data-urlencode "Input.Password=Bench-Password-1" --data-urlencode "Input.ConfirmPassword=Bench-Password-1"

# The machine's baseline in the same run: the median of 50 GET /healthz/live, in ms.
live=$(for _ in $(seq 1 50); do curl -s -o /dev/null -w '%{time_total}\n' "$base/healthz/live"; done | sort -n | awk '{t[NR] = $1 * 1000} END {printf "%.1f", t[int((NR + 1) / 2)]}')

echo "Installing playwright-core (npm) into a temp folder…"
mkdir -p "$work/node"
npm install --prefix "$work/node" --no-audit --no-fund --loglevel=error playwright-core@1 >/dev/null
cp bench/api-keys-browser.mjs "$work/node/"
echo "Measuring in Chromium, $runs tries per action…"
echo "Installing dotnet-gcdump (NuGet) into a temp folder…"
dotnet tool install --tool-path "$work/tools" dotnet-gcdump >/dev/null
results=$(node "$work/node/api-keys-browser.mjs" "$base" owner@example.com Bench-Password-1 "$server" "$runs" \
  "$work/tools/dotnet-gcdump")
cat <<REPORT

## $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m): API Keys page in Chromium, 100,000 keys
Baseline, same run: GET /healthz/live median $live ms. Target: median under 150 ms, p95 under 300 ms, per action.

$results
REPORT
