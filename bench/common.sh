# Shared by the benchmarks: sourced with $base set. Installs what is missing, publishes the portal in Release into
# a temp folder that is removed on exit, and points it at a fresh data directory with rate limits off (a load test
# is exactly what they stop).

# need_packages TOOL…: installs the Debian packages of the same names that are not on the PATH.
need_packages() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

work=$(mktemp -d)
server=""
servers=() # every server started, $server the last
stop_servers() { [ ${#servers[@]} -eq 0 ] || { kill "${servers[@]}" 2>/dev/null || true; wait "${servers[@]}" 2>/dev/null || true; }; servers=(); server=""; }
cleanup() { stop_servers; rm -rf "$work"; }
trap cleanup EXIT

# publish_app: Release build into $work/app; afterwards "${app[@]}" runs it (server or admin CLI).
publish_app() {
  echo "Publishing in Release…"
  dotnet publish DiversitySync.Portal -c Release -o "$work/app" --nologo -v q >/dev/null
  export Portal__DataDirectory="$work/data" Portal__PublicUrl="$base" ASPNETCORE_ENVIRONMENT=Production
  export Logging__LogLevel__Default=Warning RateLimits__Enabled=false
  app=(dotnet "$work/app/DiversitySync.Portal.dll")
}

# start_app [URL]: a server on URL (default $base), in the background, once /healthz answers.
start_app() {
  local url=${1:-$base}
  # The published folder is the content root: its wwwroot holds the static files (blazor.web.js, MudBlazor, ours).
  "${app[@]}" --urls "$url" --contentRoot "$work/app" >>"$work/server.log" 2>&1 &
  server=$!
  servers+=("$server")
  for _ in $(seq 1 150); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
}

# token KEY [URL]: an access token for KEY from URL (default $base).
token() { curl -fs -X POST "${2:-$base}/oauth/token" -H "Authorization: Bearer $1" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
# first_byte_ms TRIES URL [CURL ARGS…]: the median time to first byte of TRIES requests to URL, in ms.
first_byte_ms() {
  local tries=$1 url=$2; shift 2
  for _ in $(seq 1 "$tries"); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url" "$@"; done | sort -n \
    | awk '{t[NR] = $1 * 1000} END {printf "%.1f", t[int((NR + 1) / 2)]}'
}
# Reading wrk's report: requests per second, a latency percentile; and a ratio as a whole percentage.
rps() { grep -oE 'Requests/sec: +[0-9.]+' | grep -oE '[0-9.]+$'; }
pct() { grep -E "^ +$1%" | awk '{print $2}'; }
ratio() { awk "BEGIN {printf \"%.0f%%\", 100*$1/$2}"; }
