#!/usr/bin/env bash
# EF Core migrations through the design-time host (tools/DesignTime), which stays out of the solution. Each
# provider has its own: a model change needs a migration for both.
#   scripts/migrations.sh add <Name>      add a migration for the current model, for SQLite and for PostgreSQL
#   scripts/migrations.sh remove          remove the last migration of both
#   scripts/migrations.sh list            list the migrations of both
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore --verbosity quiet
dotnet restore tools/DesignTime --verbosity quiet
ef=(dotnet ef --project DiversitySync.Portal --startup-project tools/DesignTime)
for provider in Sqlite PostgreSQL; do
  context=$([ "$provider" = Sqlite ] && echo SqlitePortalDbContext || echo PostgresPortalDbContext)
  case "${1:-}" in
    add)    [ -n "${2:-}" ] || { echo "usage: $0 add <Name>" >&2; exit 2; }
            "${ef[@]}" migrations add "$2" --context "$context" --output-dir "Data/Migrations/$provider" ;;
    remove) "${ef[@]}" migrations remove --context "$context" ;;
    list)   echo "# $provider"; "${ef[@]}" migrations list --context "$context" --no-connect ;;
    *)      sed -n '4,6p' "$0" >&2; exit 2 ;;
  esac
done
