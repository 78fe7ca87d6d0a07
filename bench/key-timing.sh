#!/usr/bin/env bash
# K-03: does POST /oauth/token take longer for an unknown key id than for a known id with a wrong secret?
# Sends the two kinds of request alternately, one at a time (no load: the question is latency, not throughput),
# and prints both medians and p90s side by side, with /healthz/live as this machine's baseline of the same run.
# Talks to 127.0.0.1 only; about a minute. Usage: bench/key-timing.sh [requests of each kind, default 300]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-300}
port=5098
base="http://127.0.0.1:$port"

source bench/common.sh
need_packages curl python3
publish_app
"${app[@]}" staff create --email bench@example.com --name "Bench Owner" --role Owner >/dev/null
known=$("${app[@]}" keys create --creator bench@example.com --name "Timing" --env live --scopes "read:api_keys")
start_app

# Both well-formed with valid checksums (a malformed key is refused before any lookup): the stored id with a random
# secret, and a random id that was never stored. The key format is ds_live_<16 hex id>_<40 hex secret><8 hex CRC-32>.
python3 - "$known" >"$work/keys" <<'PY'
import sys, zlib, secrets
def key(key_id):
    body = f"ds_live_{key_id}_{secrets.token_hex(20)}"
    return f"{body}{zlib.crc32(body.encode()):08x}"
print(key(sys.argv[1].split('_')[2]))
print(key(secrets.token_hex(8)))
PY
mapfile -t keys <"$work/keys"
time_of() { curl -s -o /dev/null -w '%{time_total}\n' -X POST "$base/oauth/token" -H "Authorization: Bearer $1"; }
: >"$work/wrong"; : >"$work/unknown"; : >"$work/live"
for _ in $(seq 1 20); do time_of "${keys[0]}" >/dev/null; time_of "${keys[1]}" >/dev/null; done  # warm-up
for _ in $(seq 1 "$count"); do
  time_of "${keys[0]}" >>"$work/wrong"
  time_of "${keys[1]}" >>"$work/unknown"
  curl -s -o /dev/null -w '%{time_total}\n' "$base/healthz/live" >>"$work/live"
done
stats() { sort -n "$1" | awk '{a[NR]=$1*1000} END {printf "%.2f | %.2f", a[int(NR*0.5)], a[int(NR*0.9)]}'; }
echo
echo "## $(date -u +%F) on $(nproc) cores: $count requests of each kind, alternating"
echo "| request | median ms | p90 ms |"
echo "|---|---|---|"
echo "| known key id, wrong secret | $(stats "$work/wrong") |"
echo "| unknown key id | $(stats "$work/unknown") |"
echo "| baseline: GET /healthz/live | $(stats "$work/live") |"
