#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the tests need from Debian's packages if it is
# missing (Chromium and fonts for the browser tests, ICU for Unicode names, PostgreSQL's server binaries for the
# tests that run on PostgreSQL: they start their own server in a temp folder), then runs `dotnet test` on the solution.
# Extra arguments go to dotnet test, e.g. scripts/test.sh --filter "FullyQualifiedName~Tokens".
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-liberation >/dev/null 2>&1 || missing+=(fonts-liberation)
# Unicode normalisation of names (NFKC) needs ICU; the .NET SDK's machines usually have it.
ls /usr/lib/*/libicuuc.so.* >/dev/null 2>&1 || missing+=(libicu72)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]} from Debian's packages for the tests…"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test DiversitySync.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line, whatever dotnet test printed: "N passed, N failed".
summary=$(grep -E 'Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -1 || true)
if [ -n "$summary" ]; then
  passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  failed=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  echo "$passed passed, $failed failed"
fi
exit "$status"
