#!/usr/bin/env bash
# EF Core migrations through the design-time host (tools/DesignTime), which stays out of the solution.
#   scripts/migrations.sh add <Name>      add a migration for the current model
#   scripts/migrations.sh remove          remove the last migration
#   scripts/migrations.sh list            list migrations
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore --verbosity quiet
dotnet restore tools/DesignTime --verbosity quiet
ef=(dotnet ef --project DiversitySync.Portal --startup-project tools/DesignTime)
case "${1:-}" in
  add)    [ -n "${2:-}" ] || { echo "usage: $0 add <Name>" >&2; exit 2; }
          "${ef[@]}" migrations add "$2" --output-dir Data/Migrations ;;
  remove) "${ef[@]}" migrations remove ;;
  list)   "${ef[@]}" migrations list ;;
  *)      sed -n '2,5p' "$0" >&2; exit 2 ;;
esac
